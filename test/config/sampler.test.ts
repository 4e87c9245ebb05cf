// The sampler configure() installs: the OTEL_TRACES_SAMPLER sampler (otel-env.ts reads it with the line's classes),
// wrapped to record (not sample) what it drops when statsd is a backend, so that statsd counts every span.
import { context, SamplingDecision, SpanKind, type Sampler } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { samplerFromEnv } from '../../src/config/otel-env.js';
import { configuredSampler } from '../../src/config/sampler.js';
import { traceSdk } from '../../src/sdk-line/trace-sdk.js';

const { samplers } = traceSdk('the sampler test');
const decide = (sampler: Sampler | undefined, traceId = 'f'.repeat(32)): SamplingDecision | undefined =>
  sampler?.shouldSample(context.active(), traceId, 'op', SpanKind.INTERNAL, {}, []).decision;
const fromEnv = (env: NodeJS.ProcessEnv) => samplerFromEnv(env, samplers);

describe('recording what is not sampled', () => {
  it('with statsd, a span the sampler drops is recorded (RECORD), one it keeps is sampled', () => {
    expect(decide(configuredSampler(samplers, fromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }), true))).toBe(
      SamplingDecision.RECORD,
    );
    expect(decide(configuredSampler(samplers, fromEnv({ OTEL_TRACES_SAMPLER: 'always_on' }), true))).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
  });

  it('without statsd, the environment sampler stands as it is (a dropped span is not recorded)', () => {
    expect(decide(configuredSampler(samplers, fromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }), false))).toBe(
      SamplingDecision.NOT_RECORD,
    );
    expect(configuredSampler(samplers, undefined, false)).toBeUndefined();
  });

  it("with statsd and no OTEL_TRACES_SAMPLER, the SDK's default (parentbased_always_on) is wrapped", () => {
    const sampler = configuredSampler(samplers, undefined, true);
    expect(sampler?.toString()).toMatch(/^AlwaysRecordSampler\{ParentBased\{root=AlwaysOnSampler/);
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
