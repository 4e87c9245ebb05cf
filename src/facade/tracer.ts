// The tracer facade spans come from: the global provider's, whatever the user registered (SDK 1.x or 2.x).
import { trace, type Tracer, type TracerProvider } from '@opentelemetry/api';

export const TRACER_NAME = 'tomograph';
export const TRACER_VERSION = '0.1.0';

let provider: TracerProvider | undefined;
let tracer: Tracer | undefined;

/** The facade's tracer, fetched again only when the global provider object changes (e.g. after `trace.disable()`). */
export function facadeTracer(): Tracer {
  const now = trace.getTracerProvider();
  if (tracer === undefined || now !== provider) {
    provider = now;
    tracer = now.getTracer(TRACER_NAME, TRACER_VERSION);
  }
  return tracer;
}
