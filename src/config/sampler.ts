// The trace sampler configure() installs: the one the standard OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG
// variables name (as the SDK would read them), wrapped so that unsampled spans are still recorded for statsd.
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { alwaysRecordSampler } from '../sampling/always-record.js';
import { reportIgnoredSetting } from './diagnostics.js';

function ratioFrom(arg: string | undefined): number {
  if (arg === undefined || arg.trim() === '') return 1;
  const ratio = Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    reportIgnoredSetting(`OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(arg)} is not a ratio from 0 to 1; using 1`);
    return 1;
  }
  return ratio;
}

/** The sampler OTEL_TRACES_SAMPLER names (default parentbased_always_on); an unknown name is warned about. */
export function samplerFromEnvironment(env: NodeJS.ProcessEnv): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER ?? '').trim().toLowerCase();
  const arg = env.OTEL_TRACES_SAMPLER_ARG;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratioFrom(arg));
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratioFrom(arg)) });
    case '':
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    default:
      reportIgnoredSetting(`OTEL_TRACES_SAMPLER=${JSON.stringify(name)} is not a sampler tomograph knows; using parentbased_always_on`);
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * What configure() installs: the environment's sampler, recording (not sampling) what it drops when statsd is a
 * backend, so that metrics count every span. Without statsd, unsampled spans are not worth recording.
 */
export function configuredSampler(env: NodeJS.ProcessEnv, countEverySpan: boolean): Sampler {
  const sampler = samplerFromEnvironment(env);
  return countEverySpan ? alwaysRecordSampler(sampler) : sampler;
}
