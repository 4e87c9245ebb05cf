// The OTEL_* variables configure() reads itself, the same on both lines (the 3.x sdk-trace reads none of them):
// the sampler, the batch processor's numbers and the span limits.
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { configure, type Tomograph } from 'tomograph';
import { batchFromEnv, samplerFromEnv, spanLimitsFromEnv } from '../../src/config/otel-env.js';
import { resolveOptions } from '../../src/config/options.js';

let handle: Tomograph | undefined;
const saved = { ...process.env };
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  for (const key of Object.keys(process.env)) if (key.startsWith('OTEL_') && !(key in saved)) delete process.env[key];
});

/** A span made through configure()'s provider, with `count` attributes; its recording state and attributes. */
function spanUnderConfigure(count: number): {
  recording: boolean;
  attributes: Record<string, unknown>;
  events: number;
} {
  handle = configure({ backends: ['log'], log: { write: () => undefined } });
  const span = trace.getTracer('env').startSpan('op');
  for (let i = 0; i < count; i++) span.setAttribute(`a${i}`, 'x'.repeat(10));
  for (let i = 0; i < 3; i++) span.addEvent(`e${i}`);
  // A span that does not record (sampled out) is the API's non-recording span: no attributes, no events.
  const readable = span as unknown as { attributes?: Record<string, unknown>; events?: unknown[] };
  const seen = {
    recording: span.isRecording(),
    attributes: { ...readable.attributes },
    events: readable.events?.length ?? 0,
  };
  span.end();
  return seen;
}

describe('OTEL_* variables under configure()', () => {
  it('OTEL_TRACES_SAMPLER=always_off makes spans that record nothing', () => {
    process.env.OTEL_TRACES_SAMPLER = 'always_off';
    expect(spanUnderConfigure(1).recording).toBe(false);
  });

  it('OTEL_TRACES_SAMPLER=traceidratio with OTEL_TRACES_SAMPLER_ARG=0 samples no new trace', () => {
    process.env.OTEL_TRACES_SAMPLER = 'traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = '0';
    expect(spanUnderConfigure(1).recording).toBe(false);
  });

  it('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT, OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT and OTEL_SPAN_EVENT_COUNT_LIMIT bound each span', () => {
    process.env.OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT = '2';
    process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = '4';
    process.env.OTEL_SPAN_EVENT_COUNT_LIMIT = '1';
    const span = spanUnderConfigure(5);
    expect(span.attributes).toEqual({ a0: 'xxxx', a1: 'xxxx' });
    expect(span.events).toBe(1);
  });

  it('OTEL_BSP_* set the batch numbers code leaves unset; options in code win', () => {
    const env = {
      OTEL_BSP_MAX_QUEUE_SIZE: '300',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '30',
      OTEL_BSP_SCHEDULE_DELAY: '70',
      OTEL_BSP_EXPORT_TIMEOUT: '900',
    };
    expect(resolveOptions({}, env).batch).toEqual({
      maxQueueSize: 300,
      maxExportBatchSize: 30,
      scheduledDelayMillis: 70,
      exportTimeoutMillis: 900,
    });
    expect(resolveOptions({ batch: { scheduledDelayMillis: 5 } }, env).batch.scheduledDelayMillis).toBe(5);
    expect(resolveOptions({}, {}).batch).toEqual({
      maxQueueSize: 50_000,
      maxExportBatchSize: 1000,
      scheduledDelayMillis: 1000,
      exportTimeoutMillis: 30_000,
    });
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER names "sometimes"/],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' },
      /OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1/,
    ],
    [{ OTEL_BSP_SCHEDULE_DELAY: 'soon' }, /OTEL_BSP_SCHEDULE_DELAY must be a whole number/],
    [{ OTEL_SPAN_LINK_COUNT_LIMIT: '-1' }, /OTEL_SPAN_LINK_COUNT_LIMIT must be a whole number of at least 0/],
  ])('a bad value (%j) is a typed INVALID_OPTION error naming the variable', (env, message) => {
    const samplers = {} as never;
    expect(() => {
      batchFromEnv(env);
      spanLimitsFromEnv(env);
      samplerFromEnv(env, samplers);
    }).toThrow(message);
  });
});
