// The propagator configure() registers: which header formats carry the trace across HTTP. W3C trace context is
// OpenTelemetry's default; B3 is what Zipkin-instrumented services (Brave, zipkin-js) send and read.
import type { TextMapPropagator } from '@opentelemetry/api';
import { TomographError } from '../errors.js';
import { loadPeer } from '../sdk-line/peers.js';
import { Level2TraceContextPropagator } from './level2-trace-context.js';

interface CoreModule {
  CompositePropagator: new (config: { propagators: TextMapPropagator[] }) => TextMapPropagator;
  W3CBaggagePropagator: new () => TextMapPropagator;
  W3CTraceContextPropagator: new () => TextMapPropagator;
}
interface B3Module {
  B3Propagator: new (config: { injectEncoding: number }) => TextMapPropagator;
  B3InjectEncoding: { SINGLE_HEADER: number; MULTI_HEADER: number };
}

/** 'w3c': `traceparent` and `tracestate` (Level 2); 'b3': the single `b3` header; 'b3multi': the `X-B3-*` headers. */
export type PropagationFormat = 'w3c' | 'b3' | 'b3multi';
export const PROPAGATION_FORMATS: readonly PropagationFormat[] = ['w3c', 'b3', 'b3multi'];

export interface PropagatorOptions {
  /**
   * Formats injected into outgoing requests and read from incoming ones. When a request carries several, the
   * last format listed wins. W3C baggage is always carried.
   * @default ['w3c']
   */
  formats?: readonly PropagationFormat[];
}

function propagatorFor(format: PropagationFormat, core: CoreModule): TextMapPropagator {
  // traceparent as the stock propagator reads it, tracestate by the Level 2 grammar.
  if (format === 'w3c') return new Level2TraceContextPropagator(new core.W3CTraceContextPropagator());
  // Loaded only for B3, so an app that never asks for it need not install propagator-b3.
  const { B3Propagator, B3InjectEncoding } = loadPeer<B3Module>(
    '@opentelemetry/propagator-b3',
    `the '${format}' propagation format`,
  );
  return new B3Propagator({
    injectEncoding: format === 'b3' ? B3InjectEncoding.SINGLE_HEADER : B3InjectEncoding.MULTI_HEADER,
  });
}

/** The propagator for `formats`; throws TomographError('INVALID_OPTION') for an empty list or an unknown name. */
export function createPropagator(options: PropagatorOptions = {}): TextMapPropagator {
  const formats: unknown = options.formats ?? ['w3c'];
  if (!Array.isArray(formats) || formats.length === 0) {
    throw new TomographError(
      'INVALID_OPTION',
      `propagation formats must be a non-empty array of ${PROPAGATION_FORMATS.map((f) => `'${f}'`).join(', ')}`,
    );
  }
  for (const format of formats) {
    if (!PROPAGATION_FORMATS.includes(format as PropagationFormat)) {
      throw new TomographError(
        'INVALID_OPTION',
        `unknown propagation format ${JSON.stringify(format)}; expected one of ${PROPAGATION_FORMATS.map((f) => `'${f}'`).join(', ')}`,
      );
    }
  }
  const unique = [...new Set(formats as PropagationFormat[])];
  const core = loadPeer<CoreModule>('@opentelemetry/core', 'createPropagator()');
  return new core.CompositePropagator({
    propagators: [...unique.map((format) => propagatorFor(format, core)), new core.W3CBaggagePropagator()],
  });
}
