// The token that continues a trace elsewhere (another async flow, a worker thread, another process): the W3C
// `traceparent` text of a span. The legacy `get_trace_info()` returned `(trace_id, span_id)`; a string travels
// through any channel and is what OTel propagators read too.
import { isSpanContextValid, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { activeContext } from '../context/activation.js';

// Version 00 exactly; a future version may add fields after the flags, which we then ignore (W3C §3.2.4).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const MAX_TOKEN_LENGTH = 512;

/** The W3C `traceparent` of a span context. */
export function formatToken(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/**
 * A span context from a `traceparent` token, or undefined for anything that is not a valid one (garbage,
 * truncation, upper case, all-zero ids, version ff, an over-long string). Never throws.
 */
export function parseToken(token: unknown): SpanContext | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const match = TRACEPARENT.exec(token.trim());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * The token of the innermost active span (facade or OTel-native), or undefined when no valid span is active.
 * Pass it to `start(..., token)` to continue the trace elsewhere.
 */
export function getTraceInfo(): string | undefined {
  const span = trace.getSpan(activeContext());
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) ? formatToken(spanContext) : undefined;
}
