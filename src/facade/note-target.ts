// Where annotate and tag write: the active span, unless it is a web framework instrumentation's layer span.
//
// The express, router, koa, fastify (…) instrumentations wrap each middleware and route handler in a span of
// their own ('request handler - /items/:id', 'middleware - query') and make it active around the handler. A
// legacy note or tag written in a handler belongs to the request (or to the span the app opened), not to such a
// layer, which the statsd exporter leaves out by default: on it the handler's counters would vanish, and would
// be named differently with and without auto-instrumentation. Under a layer span the note goes to the innermost
// open facade span (the request span of `middleware()`, or one the app started), else to the server span of
// @opentelemetry/instrumentation-http.
import { trace, type Context, type Span } from '@opentelemetry/api';
import { topFrame } from '../context/frame-context.js';
import { httpServerSpanIn, spanScopeName } from '../otel-internals/index.js';

// The instrumentations whose spans are layers of a request's handling, by instrumentation scope name.
const LAYER_SCOPES: ReadonlySet<string> = new Set([
  '@opentelemetry/instrumentation-express',
  '@opentelemetry/instrumentation-router',
  '@opentelemetry/instrumentation-connect',
  '@opentelemetry/instrumentation-koa',
  '@opentelemetry/instrumentation-fastify',
  '@fastify/otel',
  '@opentelemetry/instrumentation-hapi',
  '@opentelemetry/instrumentation-restify',
  '@opentelemetry/instrumentation-nestjs-core',
]);

/** True when `span` is a web framework instrumentation's layer span. */
export function isLayerSpan(span: Span): boolean {
  const scope = spanScopeName(span);
  return scope !== undefined && LAYER_SCOPES.has(scope);
}

/** The span a note or tag made in `ctx` goes to (see above); undefined when no span is active. */
export function noteTarget(ctx: Context): Span | undefined {
  const active = trace.getSpan(ctx);
  if (active === undefined || !isLayerSpan(active)) return active;
  return topFrame(ctx)?.span ?? httpServerSpanIn(ctx) ?? active;
}
