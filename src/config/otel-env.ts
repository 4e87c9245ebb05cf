// The OTEL_* variables of the trace SDK that configure() reads itself: the 3.x line's sdk-trace stopped reading
// them (only sdk-node does), and reading them in one place gives both lines the same behaviour. Names and
// meanings are OpenTelemetry's environment-variable specification. Bad values throw INVALID_OPTION, as
// OTEL_PROPAGATORS and TOMOGRAPH_* do.
import type { Sampler } from '@opentelemetry/api';
import { TomographError } from '../errors.js';
import type { SdkSamplers, SpanLimits } from '../sdk-line/trace-sdk.js';
import type { BatchOptions } from './options.js';

function invalid(message: string): TomographError {
  return new TomographError('INVALID_OPTION', `configure(): ${message}`);
}

function wholeFrom(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw invalid(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(env[name])}`);
  return value;
}

/** OTEL_BSP_*: batch options the user did not set in code. */
export function batchFromEnv(env: NodeJS.ProcessEnv): BatchOptions {
  const options: BatchOptions = {};
  const set = (key: keyof BatchOptions, name: string, min: number): void => {
    const value = wholeFrom(env, name, min);
    if (value !== undefined) options[key] = value;
  };
  set('maxQueueSize', 'OTEL_BSP_MAX_QUEUE_SIZE', 1);
  set('maxExportBatchSize', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 1);
  set('scheduledDelayMillis', 'OTEL_BSP_SCHEDULE_DELAY', 1);
  set('exportTimeoutMillis', 'OTEL_BSP_EXPORT_TIMEOUT', 1);
  return options;
}

/** OTEL_SPAN_* and OTEL_ATTRIBUTE_* limits; the span-specific variable wins over the general one. */
export function spanLimitsFromEnv(env: NodeJS.ProcessEnv): SpanLimits {
  const limits: SpanLimits = {};
  const pick = (key: keyof SpanLimits, ...names: string[]): void => {
    for (const name of names) {
      const value = wholeFrom(env, name, 0);
      if (value !== undefined) {
        limits[key] = value;
        return;
      }
    }
  };
  pick('attributeValueLengthLimit', 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT');
  pick('attributeCountLimit', 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT');
  pick('eventCountLimit', 'OTEL_SPAN_EVENT_COUNT_LIMIT');
  pick('linkCountLimit', 'OTEL_SPAN_LINK_COUNT_LIMIT');
  pick('attributePerEventCountLimit', 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT');
  pick('attributePerLinkCountLimit', 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT');
  return limits;
}

const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

function ratioFrom(env: NodeJS.ProcessEnv): number {
  const text = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (text === undefined || text === '') return 1;
  const ratio = Number(text);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
    throw invalid(
      `OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, got ${JSON.stringify(env.OTEL_TRACES_SAMPLER_ARG)}`,
    );
  return ratio;
}

/**
 * OTEL_TRACES_SAMPLER (+ _ARG) as a sampler of the app's SDK; undefined leaves the SDK default (parentbased_always_on).
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv, samplers: SdkSamplers): Sampler | undefined {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (name === undefined || name === '') return undefined;
  if (!SAMPLER_NAMES.includes(name))
    throw invalid(
      `OTEL_TRACES_SAMPLER names ${JSON.stringify(env.OTEL_TRACES_SAMPLER)}; tomograph supports ${SAMPLER_NAMES.join(', ')}`,
    );
  const { AlwaysOnSampler, AlwaysOffSampler, ParentBasedSampler, TraceIdRatioBasedSampler } = samplers;
  const root = (kind: string): Sampler =>
    kind.endsWith('always_on')
      ? new AlwaysOnSampler()
      : kind.endsWith('always_off')
        ? new AlwaysOffSampler()
        : new TraceIdRatioBasedSampler(ratioFrom(env));
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root: root(name) }) : root(name);
}
