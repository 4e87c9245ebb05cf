// Finds the caller's trace in request headers: the global propagator's headers first (W3C `traceparent` with a
// Level 2 `tracestate`, or B3 when configured), then tomograph's `X-Trace-Info` token, then — only when asked —
// the legacy Python header.
// Pure: no I/O, never throws; anything malformed is ignored and the caller starts a new root trace.
import { ROOT_CONTEXT, propagation, trace, type Context, type SpanContext } from '@opentelemetry/api';
import { parseToken } from '../facade/token.js';
import { incomingHeadersGetter, type IncomingHeaders } from './carriers.js';
import { readLegacyTraceInfo } from './legacy-pickle.js';
import { withLevel2TraceState } from './level2-trace-context.js';
import { strictGetter } from './strict-headers.js';

/** The header that carries tomograph's token (and, in the Python original, the legacy pickle). */
export const TRACE_INFO_HEADER = 'X-Trace-Info';

/** Where the parent came from: useful to a caller's logs and to tests. */
export type ParentSource = 'propagator' | 'x-trace-info' | 'legacy' | 'none';

export interface ExtractParentOptions {
  /**
   * Also accept the Python tomograph's `X-Trace-Info` (base64 pickle), read by a strict parser that never
   * unpickles. Off by default: only turn it on while old Python services still call this one.
   * @default false
   */
  legacyHeader?: boolean;
}

const LOWER_TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;
const LOWER_SPAN_ID = /^(?!0{16})[0-9a-f]{16}$/;

/** Ids exactly as Zipkin and W3C want them (lower hex, non-zero); anything else must not be adopted. */
export function isStrictSpanContext(spanContext: SpanContext | undefined): spanContext is SpanContext {
  return (
    spanContext !== undefined && LOWER_TRACE_ID.test(spanContext.traceId) && LOWER_SPAN_ID.test(spanContext.spanId)
  );
}

const getter = strictGetter(incomingHeadersGetter);
function remote(parent: Context, spanContext: SpanContext): Context {
  return trace.setSpanContext(parent, { ...spanContext, isRemote: true });
}

/** The context a server span for this request should start in, and where its parent came from. */
export function extractParent(
  headers: IncomingHeaders,
  options: ExtractParentOptions = {},
): { context: Context; source: ParentSource } {
  // A propagator may also carry baggage: keep it even when the span context is refused.
  const extracted = propagation.extract(ROOT_CONTEXT, headers, getter);
  if (isStrictSpanContext(trace.getSpanContext(extracted))) {
    // Whichever W3C propagator is registered, `tracestate` is read by the Level 2 rules; the raw getter, because
    // several tracestate headers are one list (the strict getter reads a repeated header as absent).
    return { context: withLevel2TraceState(extracted, headers, incomingHeadersGetter), source: 'propagator' };
  }
  // A refused span context is dropped; most requests carry none, and their context is kept as it is.
  const base = trace.getSpan(extracted) === undefined ? extracted : trace.deleteSpan(extracted);

  const traceInfo = getter.get(headers, TRACE_INFO_HEADER);
  const value = typeof traceInfo === 'string' ? traceInfo : undefined;
  if (value === undefined) return { context: base, source: 'none' };

  const token = parseToken(value);
  if (isStrictSpanContext(token)) return { context: remote(base, token), source: 'x-trace-info' };

  if (options.legacyHeader === true) {
    const legacy = readLegacyTraceInfo(value);
    // The Python original had no sampling flag: it sent every span, so the continued trace is sampled.
    if (legacy !== undefined) return { context: remote(base, { ...legacy, traceFlags: 1 }), source: 'legacy' };
  }
  return { context: base, source: 'none' };
}
