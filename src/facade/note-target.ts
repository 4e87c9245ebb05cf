// Where annotate and tag write: the active span, unless it is a web framework instrumentation's layer span.
//
// The express, router, koa, fastify (…) instrumentations wrap each middleware and route handler in a span of
// their own ('request handler - /items/:id', 'middleware - query') and make it active around the handler. A
// legacy note or tag written in a handler belongs to the request (or to the span the app opened), not to such a
// layer, which the statsd exporter leaves out by default: on it the handler's counters would vanish, and would
// be named differently with and without auto-instrumentation. Under a layer span the note goes to the innermost
// open facade span (the request span of `middleware()`, or one the app started), else to the server span of
// @opentelemetry/instrumentation-http.
import { createContextKey, trace, type Context, type Span } from '@opentelemetry/api';
import { topFrame } from '../context/frame-context.js';

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

// @opentelemetry/core's key (createContextKey is Symbol.for): instrumentation-http puts its server span there.
const RPC_METADATA_KEY = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');

/** The instrumentation scope an SDK span was made by (2.x/3.x `instrumentationScope`, 1.x `instrumentationLibrary`). */
function scopeNameOf(span: Span): string | undefined {
  const shape = span as unknown as {
    instrumentationScope?: { name?: unknown };
    instrumentationLibrary?: { name?: unknown };
  };
  const name = (shape.instrumentationScope ?? shape.instrumentationLibrary)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** True when `span` is a web framework instrumentation's layer span. */
export function isLayerSpan(span: Span): boolean {
  const scope = scopeNameOf(span);
  return scope !== undefined && LAYER_SCOPES.has(scope);
}

/** instrumentation-http's server span for the request `ctx` runs in, if any. */
function httpServerSpan(ctx: Context): Span | undefined {
  const metadata = ctx.getValue(RPC_METADATA_KEY) as { type?: unknown; span?: Span } | undefined;
  return metadata?.type === 'http' ? metadata.span : undefined;
}

/** The span a note or tag made in `ctx` goes to (see above); undefined when no span is active. */
export function noteTarget(ctx: Context): Span | undefined {
  const active = trace.getSpan(ctx);
  if (active === undefined || !isLayerSpan(active)) return active;
  return topFrame(ctx)?.span ?? httpServerSpan(ctx) ?? active;
}

/** True when `span` has ended (an SDK span says so; any other is taken as open). */
export function hasEnded(span: Span): boolean {
  return (span as unknown as { ended?: unknown }).ended === true;
}
