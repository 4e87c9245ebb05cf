// The spans an HTTP instrumentation opened around a request before our middleware ran, by id: the span active at
// the middleware's entry (an express/router layer span), that span's parent (the layer that enclosed it), and the
// server span @opentelemetry/instrumentation-http made (found through the RPC metadata it puts in the context, as
// the express instrumentation finds it). The express and router instrumentations re-activate these around each
// `next()`; the request frame is pinned over them (context/frame-context.ts), and over nothing else.
import { createContextKey, trace, type Context, type Span } from '@opentelemetry/api';

// @opentelemetry/core's key (createContextKey is Symbol.for): read here so that the facade needs no SDK package.
const RPC_METADATA_KEY = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');

/** The parent span id of an SDK span (2.x/3.x `parentSpanContext`, 1.x `parentSpanId`), read by shape. */
function parentSpanIdOf(span: Span): string | undefined {
  const shape = span as unknown as { parentSpanContext?: { spanId?: unknown }; parentSpanId?: unknown };
  const id = shape.parentSpanContext?.spanId ?? shape.parentSpanId;
  return typeof id === 'string' ? id : undefined;
}

/** The ids of the spans enclosing a request in `active`, or undefined when no instrumentation made any. */
export function enclosingSpanIds(active: Context): ReadonlySet<string> | undefined {
  const ids = new Set<string>();
  const activeSpan = trace.getSpan(active);
  if (activeSpan !== undefined) {
    ids.add(activeSpan.spanContext().spanId);
    const parentId = parentSpanIdOf(activeSpan);
    if (parentId !== undefined) ids.add(parentId);
  }
  const metadata = active.getValue(RPC_METADATA_KEY) as { type?: unknown; span?: Span } | undefined;
  if (metadata?.type === 'http' && metadata.span !== undefined) ids.add(metadata.span.spanContext().spanId);
  return ids.size === 0 ? undefined : ids;
}
