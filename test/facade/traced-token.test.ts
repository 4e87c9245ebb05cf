// traced(service, name, { token }): each call continues the remote trace its token names (a fixed token, or one
// read from the call's arguments), in a context of its own; a call without a token starts a trace of its own.
import { context, propagation } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getTraceInfo, setStrictMode, start, stop, traced, TomographError } from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { parentIdOf, SDK_LINES, setupOtel, type OtelHarness } from '../support/otel.js';

const PRODUCER = { traceId: '463ac35c9f6413ad48485a3953bb6124', spanId: 'a2fb4a1d1a96d312' };
const PRODUCER_TOKEN = `00-${PRODUCER.traceId}-${PRODUCER.spanId}-01`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Job {
  id: number;
  data: { trace?: string | undefined };
}

describe.each(SDK_LINES)('with the OTel SDK %s', (line) => {
  let otel: OtelHarness;
  let diag: DiagCapture;
  beforeEach(() => {
    otel = setupOtel(line);
    diag = captureDiag();
  });
  afterEach(async () => {
    setStrictMode(false);
    diag.restore();
    await otel.teardown();
  });

  it("continues a fixed token's trace, whatever span is active where the call runs", () => {
    const handle = traced('billing', 'handle')(() => undefined);
    const consume = traced('billing', 'consume', { token: PRODUCER_TOKEN })(() => getTraceInfo());
    let inside: string | undefined;
    otel.tracer.startActiveSpan('poll loop', (span) => {
      inside = consume();
      handle();
      span.end();
    });
    const consumed = otel.span('consume');
    expect([consumed.spanContext().traceId, parentIdOf(consumed)]).toEqual([PRODUCER.traceId, PRODUCER.spanId]);
    expect(inside).toBe(`00-${PRODUCER.traceId}-${consumed.spanContext().spanId}-01`);
    // Without the option a call nests under the active span, as before.
    expect(parentIdOf(otel.span('handle'))).toBe(otel.span('poll loop').spanContext().spanId);
  });

  it("reads each call's token from its arguments and `this`", () => {
    const process = traced('billing', 'process', { token: (job: Job) => job.data.trace })((job: Job) => job.id);
    const other = { traceId: 'b7ad6b7169203331b7ad6b7169203331', spanId: '00f067aa0ba902b7' };
    expect(process({ id: 1, data: { trace: PRODUCER_TOKEN } })).toBe(1);
    expect(process({ id: 2, data: { trace: `00-${other.traceId}-${other.spanId}-01` } })).toBe(2);
    const [first, second] = otel.spans().filter((s) => s.name === 'process');
    expect([first!.spanContext().traceId, parentIdOf(first!)]).toEqual([PRODUCER.traceId, PRODUCER.spanId]);
    expect([second!.spanContext().traceId, parentIdOf(second!)]).toEqual([other.traceId, other.spanId]);

    class Consumer {
      readonly trace = PRODUCER_TOKEN;
      @traced('billing', 'receive', {
        token(this: Consumer) {
          return this.trace;
        },
      })
      receive(): void {}
    }
    new Consumer().receive();
    expect(parentIdOf(otel.span('receive'))).toBe(PRODUCER.spanId);
    expect(diag.warnings()).toEqual([]);
  });

  it('starts a trace of its own for a call without a token, never nesting under the active span, and keeps baggage', () => {
    const process = traced('billing', 'process', { token: (job: Job) => job.data.trace })(
      (_job: Job) => propagation.getActiveBaggage()?.getEntry('tenant')?.value,
    );
    let tenant: string | undefined;
    const withBaggage = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ tenant: { value: 'acme' } }),
    );
    context.with(withBaggage, () => {
      start('worker', 'poll loop');
      tenant = process({ id: 1, data: {} });
      stop('poll loop');
    });
    const processed = otel.span('process');
    expect(parentIdOf(processed)).toBeUndefined();
    expect(processed.spanContext().traceId).not.toBe(otel.span('poll loop').spanContext().traceId);
    expect(tenant).toBe('acme');
    expect(diag.warnings()).toEqual([]);
  });

  it("keeps concurrent calls apart: each call and the spans inside it stay in its own token's trace", async () => {
    const producers = Array.from({ length: 20 }, (_, id) => {
      const span = otel.tracer.startSpan(`produce ${id}`);
      span.end();
      return {
        id,
        token: `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`,
        traceId: span.spanContext().traceId,
      };
    });
    const process = traced('billing', 'process', { token: (job: Job) => job.data.trace })(async (job: Job) => {
      start('billing', `charge ${job.id}`);
      await pause(1 + ((job.id * 7) % 5));
      stop(`charge ${job.id}`);
      await pause(1);
      return getTraceInfo();
    });
    const after = await Promise.all(producers.map((p) => process({ id: p.id, data: { trace: p.token } })));
    for (const p of producers) {
      const charge = otel.span(`charge ${p.id}`);
      const job = otel.spans().find((s) => s.spanContext().spanId === parentIdOf(charge))!;
      expect([job.name, job.spanContext().traceId, charge.spanContext().traceId]).toEqual([
        'process',
        p.traceId,
        p.traceId,
      ]);
      expect(after[p.id]).toBe(`00-${p.traceId}-${job.spanContext().spanId}-01`);
    }
    expect(diag.warnings()).toEqual([]);
  });

  it('rejects a fixed token that is not a traceparent, or a token of another type, when the decorator is made', () => {
    expect(() => traced('billing', 'x', { token: 'not-a-token' })).toThrow(TomographError);
    expect(() => traced('billing', 'x', { token: `00-${'0'.repeat(32)}-${PRODUCER.spanId}-01` })).toThrow(
      /token must be a W3C traceparent/,
    );
    expect(() => traced('billing', 'x', { token: 42 as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_TOKEN' }),
    );
  });

  it('reports an invalid token read from a call, runs the function in a new trace, and throws in strict mode', () => {
    const process = traced('billing', 'process', { token: (job: Job) => job.data.trace })((job: Job) => job.id);
    otel.tracer.startActiveSpan('poll loop', (span) => {
      expect(process({ id: 7, data: { trace: 'garbage' } })).toBe(7);
      span.end();
    });
    expect(parentIdOf(otel.span('process'))).toBeUndefined();
    expect(diag.warnings("traced('process'): ignored a token that is not a W3C traceparent")).toHaveLength(1);

    setStrictMode(true);
    let ran = false;
    const strict = traced('billing', 'strict')(() => (ran = true));
    const strictProcess = traced('billing', 'strict process', { token: () => 'garbage' })(() => (ran = true));
    strict();
    expect(ran).toBe(true);
    ran = false;
    expect(() => strictProcess()).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
    expect(ran).toBe(false);
  });

  it('runs the function in a new trace when the token function throws, and says so', () => {
    const process = traced('billing', 'process', {
      token: () => {
        throw new Error('no data');
      },
    })(() => 'done');
    expect(process()).toBe('done');
    expect(parentIdOf(otel.span('process'))).toBeUndefined();
    expect(diag.warnings('no data')).toHaveLength(1);
  });
});
