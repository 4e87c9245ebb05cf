// createPropagator: the header formats configure() can register, injected and read back.
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { isTomographError } from 'tomograph';
import { incomingHeadersGetter, outgoingHeadersSetter } from '../../src/propagation/carriers.js';
import { createPropagator, type PropagationFormat } from '../../src/propagation/propagators.js';

const TRACE = '463ac35c9f6413ad48485a3953bb6124';
const SPAN = 'a2fb4a1d1a96d312';
const context = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED });

describe('createPropagator', () => {
  it.each([
    [undefined, { traceparent: `00-${TRACE}-${SPAN}-01` }],
    [['b3'], { b3: `${TRACE}-${SPAN}-1` }],
    [['b3multi'], { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-sampled': '1' }],
    [['w3c', 'b3'], { traceparent: `00-${TRACE}-${SPAN}-01`, b3: `${TRACE}-${SPAN}-1` }],
  ] as const)('with formats %j injects exactly %j, and reads it back', (formats, expected) => {
    const propagator = createPropagator(
      formats === undefined ? {} : { formats: formats as readonly PropagationFormat[] },
    );
    const headers: Record<string, string> = {};
    propagator.inject(context, headers, outgoingHeadersSetter);
    expect(headers).toEqual(expected);
    const read = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, incomingHeadersGetter));
    expect(read).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  });

  it.each([[[]], [['zipkin']], ['w3c']])('refuses formats %j', (formats) => {
    let thrown: unknown;
    try {
      createPropagator({ formats: formats as never });
    } catch (error) {
      thrown = error;
    }
    expect(isTomographError(thrown) && thrown.code).toBe('INVALID_OPTION');
  });
});
