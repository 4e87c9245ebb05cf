// The spans an HTTP instrumentation opened around a request before our middleware ran, by id: the span active at
// the middleware's entry (an express/router layer span), that span's parent (the layer that enclosed it), and the
// server span @opentelemetry/instrumentation-http made (found through the RPC metadata it puts in the context, as
// the express instrumentation finds it). The express and router instrumentations re-activate these around each
// `next()`; the request frame is pinned over them (context/frame-context.ts), and over nothing else.
import { trace, type Context } from '@opentelemetry/api';
import { httpServerSpanIn, spanParentId } from '../../otel-internals/index.js';

/** The ids of the spans enclosing a request in `active`, or undefined when no instrumentation made any. */
export function enclosingSpanIds(active: Context): ReadonlySet<string> | undefined {
  const activeSpan = trace.getSpan(active);
  const serverSpan = httpServerSpanIn(active);
  // Without instrumentation (the common case of the middleware) there is nothing to pin over: no Set is made.
  if (activeSpan === undefined && serverSpan === undefined) return undefined;
  const ids = new Set<string>();
  if (activeSpan !== undefined) {
    ids.add(activeSpan.spanContext().spanId);
    const parentId = spanParentId(activeSpan);
    if (parentId !== undefined) ids.add(parentId);
  }
  if (serverSpan !== undefined) ids.add(serverSpan.spanContext().spanId);
  return ids;
}
