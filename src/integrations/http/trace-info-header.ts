// addTraceInfoHeader: what a client adds to an outgoing request so that the server continues its trace.
import { hasSubscribers } from 'node:diagnostics_channel';
import { diag, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { activeContext } from '../../context/activation.js';
import { isOutgoingMessage, outgoingHeadersSetter, type OutgoingHeaders } from '../../propagation/carriers.js';
import { TRACE_INFO_HEADER } from '../../propagation/extract.js';
import { writeLegacyTraceInfo } from '../../propagation/legacy-pickle.js';

// @opentelemetry/instrumentation-undici listens here and injects the propagator's headers into every fetch/undici
// request itself, by appending: ours beside its own would make two `traceparent` headers, which a server reads as
// one invalid value and so starts new traces. Other agents may listen here too and inject nothing; `inject:
// 'always'` is for them.
const UNDICI_REQUEST_CREATE = 'undici:request:create';

/** Options of {@link addTraceInfoHeader}. */
export interface TraceInfoHeaderOptions {
  /**
   * Whether to inject the propagator's headers (`traceparent`, B3) beside `X-Trace-Info`. 'auto': always into a
   * Node `ClientRequest`; into a plain object or fetch `Headers` only when nothing listens on undici's
   * `undici:request:create` channel (where @opentelemetry/instrumentation-undici injects its own). 'always': even
   * then (when another agent listens there without injecting). @default 'auto'
   */
  inject?: 'auto' | 'always';
  /**
   * Also write `X-Trace-Info` as the Python tomograph writes it (base64 of a pickle of the trace id and the
   * active span id), so that a service still running the original library continues this trace: same trace in
   * Zipkin (matched on the lower 64 bits of the trace id), this span as the parent. Off by default: without it no
   * `X-Trace-Info` is written at all, and an unmodified Python service simply starts a trace of its own (the
   * original unpickles any `X-Trace-Info` it gets, and answers 500 to one it cannot read).
   * @default false
   */
  legacyHeader?: boolean;
}

/**
 * Injects the active context through the global propagator (W3C `traceparent`, or B3 when registered) into
 * `headers`: a plain object, a fetch `Headers` or a Node `ClientRequest`; with `legacyHeader: true`, also the
 * Python original's `X-Trace-Info`. With no span active it adds nothing. When the undici instrumentation is on,
 * it leaves the propagator's headers of a plain object or fetch `Headers` to it (its client span, a child of the
 * active span, is the better parent; see {@link TraceInfoHeaderOptions.inject}). Returns `headers`. Never throws:
 * headers that cannot be written are reported through `diag.warn` and the request goes out untraced.
 */
export function addTraceInfoHeader<T extends OutgoingHeaders>(headers: T, options?: TraceInfoHeaderOptions): T {
  try {
    const spanContext = trace.getSpanContext(activeContext());
    if (spanContext === undefined || !isSpanContextValid(spanContext)) return headers;
    if (options?.legacyHeader === true) {
      const legacy = writeLegacyTraceInfo(spanContext);
      if (legacy !== undefined) outgoingHeadersSetter.set(headers, TRACE_INFO_HEADER, legacy);
    }
    // undici never sees a ClientRequest (http.request's): nothing else will inject into it.
    const leftToUndici =
      options?.inject !== 'always' && !isOutgoingMessage(headers) && hasSubscribers(UNDICI_REQUEST_CREATE);
    if (!leftToUndici) propagation.inject(activeContext(), headers, outgoingHeadersSetter);
  } catch (error) {
    // A frozen object or a request whose headers were already sent: the call goes out untraced. A warning, not
    // debug: the server's side of the trace is lost, and the cause is in the caller's code, which only it can fix.
    diag.warn('tomograph: trace headers not added', error);
  }
  return headers;
}
