// The spans an HTTP instrumentation opened around a request before our middleware ran: the server span that
// @opentelemetry/instrumentation-http made (found through the RPC metadata it puts in the context, the same way
// the express instrumentation finds it) and whatever span is active (an express/router layer span). Both get
// re-activated over our request span around each `next()`; the request frame is pinned over them.
import { createContextKey, trace, type Context, type Span } from '@opentelemetry/api';

// @opentelemetry/core's key (createContextKey is Symbol.for): read here so the facade needs no SDK package.
const RPC_METADATA_KEY = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');

function instrumentationServerSpan(ctx: Context): Span | undefined {
  const metadata = ctx.getValue(RPC_METADATA_KEY) as { type?: unknown; span?: Span } | undefined;
  return metadata?.type === 'http' && metadata.span !== undefined ? metadata.span : undefined;
}

/** The spans enclosing a request in `active`, or undefined when no instrumentation made any. */
export function enclosingSpans(active: Context): readonly Span[] | undefined {
  const activeSpan = trace.getSpan(active);
  const serverSpan = instrumentationServerSpan(active);
  if (activeSpan === undefined) return serverSpan === undefined ? undefined : [serverSpan];
  return serverSpan === undefined || serverSpan === activeSpan ? [activeSpan] : [activeSpan, serverSpan];
}
