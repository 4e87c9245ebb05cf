// The parent of a server span: the active span when it already continues the caller's trace (an
// instrumentation such as @opentelemetry/instrumentation-http made it for this request), else the caller's
// span from the headers, else whatever is active (a new root trace when nothing is).
import { isSpanContextValid, propagation, trace, type Context } from '@opentelemetry/api';
import { activeContext } from '../../context/activation.js';
import type { IncomingHeaders } from '../../propagation/carriers.js';
import { extractParent, type ExtractParentOptions } from '../../propagation/extract.js';

export function requestParent(
  headers: IncomingHeaders,
  options: ExtractParentOptions,
  active: Context = activeContext(),
): Context {
  const { context: extracted } = extractParent(headers, options);
  const remote = trace.getSpanContext(extracted);
  const current = trace.getSpanContext(active);
  const continued =
    current !== undefined &&
    isSpanContextValid(current) &&
    (remote === undefined || current.traceId === remote.traceId);
  const parent = remote === undefined || continued ? active : trace.setSpanContext(active, remote);
  // Baggage travels on its own header: it is kept with or without a valid traceparent beside it, unless an
  // instrumentation already put this request's baggage in the active context.
  const baggage = propagation.getBaggage(extracted);
  return baggage === undefined || propagation.getBaggage(active) !== undefined
    ? parent
    : propagation.setBaggage(parent, baggage);
}
