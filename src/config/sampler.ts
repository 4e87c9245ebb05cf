// The trace sampler configure() installs: the one OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG name (read by
// otel-env.ts, with the app's own SDK classes), wrapped so that what it does not sample is still recorded for statsd.
import type { Sampler } from '@opentelemetry/api';
import type { SdkSamplers } from '../sdk-line/trace-sdk.js';
import { alwaysRecordSampler } from '../sampling/always-record.js';

/**
 * What configure() installs: `fromEnv` (undefined: the SDK's default, parentbased_always_on), recording (not
 * sampling) what it drops when statsd is a backend, so that metrics count every span. Without statsd, unsampled
 * spans are not worth recording: the SDK's own choice stands.
 */
export function configuredSampler(
  samplers: SdkSamplers,
  fromEnv: Sampler | undefined,
  countEverySpan: boolean,
): Sampler | undefined {
  if (!countEverySpan) return fromEnv;
  return alwaysRecordSampler(fromEnv ?? new samplers.ParentBasedSampler({ root: new samplers.AlwaysOnSampler() }));
}
