// The parent of a server span: the active span when it already continues the caller's trace (an
// instrumentation such as @opentelemetry/instrumentation-http made it for this request), else the caller's
// span from the headers, else whatever is active (a new root trace when nothing is).
import { isSpanContextValid, propagation, trace, type Context } from '@opentelemetry/api';
import { activeContext } from '../../context/activation.js';
import type { IncomingHeaders } from '../../propagation/carriers.js';
import { extractParent, type ExtractParentOptions } from '../../propagation/extract.js';

export function requestParent(headers: IncomingHeaders, options: ExtractParentOptions): Context {
  const active = activeContext();
  const { context: extracted } = extractParent(headers, options);
  const remote = trace.getSpanContext(extracted);
  if (remote === undefined) return active;
  const current = trace.getSpanContext(active);
  if (current !== undefined && isSpanContextValid(current) && current.traceId === remote.traceId) return active;
  const parent = trace.setSpanContext(active, remote);
  const baggage = propagation.getBaggage(extracted);
  return baggage === undefined ? parent : propagation.setBaggage(parent, baggage);
}
