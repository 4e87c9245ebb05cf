// addTraceInfoHeader: what a client adds to an outgoing request so that the server continues its trace.
import { propagation } from '@opentelemetry/api';
import { activeContext } from '../../context/activation.js';
import { getTraceInfo } from '../../facade/token.js';
import { outgoingHeadersSetter, type OutgoingHeaders } from '../../propagation/carriers.js';
import { TRACE_INFO_HEADER } from '../../propagation/extract.js';

/**
 * Puts the innermost active span's token in `X-Trace-Info` and injects the active context through the global
 * propagator (W3C `traceparent`, or B3 when registered) into `headers`: a plain object, a fetch `Headers` or a
 * Node `ClientRequest`. With no span active it adds nothing. Returns `headers`. Never throws.
 */
export function addTraceInfoHeader<T extends OutgoingHeaders>(headers: T): T {
  try {
    const token = getTraceInfo();
    if (token === undefined) return headers;
    outgoingHeadersSetter.set(headers, TRACE_INFO_HEADER, token);
    propagation.inject(activeContext(), headers, outgoingHeadersSetter);
  } catch {
    // A frozen object or a request whose headers were already sent: the call goes out untraced.
  }
  return headers;
}
