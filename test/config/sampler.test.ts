// The sampler configure() installs: OTEL_TRACES_SAMPLER / _ARG read as the SDK reads them, wrapped to record (not
// sample) what it drops when statsd is a backend; names it does not know are warned about and replaced.
import { context, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configuredSampler, samplerFromEnvironment } from '../../src/config/sampler.js';
import { captureDiag, type DiagCapture } from '../support/diag.js';

let diagnostics: DiagCapture;
beforeEach(() => {
  diagnostics = captureDiag();
});
afterEach(() => {
  diagnostics.restore();
});

const decide = (sampler: ReturnType<typeof samplerFromEnvironment>, traceId = 'f'.repeat(32)): SamplingDecision =>
  sampler.shouldSample(context.active(), traceId, 'op', SpanKind.INTERNAL, {}, []).decision;

describe('OTEL_TRACES_SAMPLER', () => {
  it.each([
    [{}, 'ParentBased{root=AlwaysOnSampler'],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 'AlwaysOffSampler'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }, 'TraceIdRatioBased{0.1}'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, 'ParentBased{root=TraceIdRatioBased{0.25}'],
  ])('%j gives %s', (env, expected) => {
    expect(samplerFromEnvironment(env).toString()).toContain(expected);
    expect(diagnostics.warnings()).toEqual([]);
  });

  it('an unknown sampler or a ratio out of range is warned about and replaced by the default, not thrown', () => {
    expect(samplerFromEnvironment({ OTEL_TRACES_SAMPLER: 'jaeger_remote' }).toString()).toContain('ParentBased{root=AlwaysOnSampler');
    expect(samplerFromEnvironment({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }).toString()).toContain('TraceIdRatioBased{1}');
    expect(diagnostics.warnings()).toHaveLength(2);
    expect(diagnostics.warnings('"jaeger_remote" is not a sampler tomograph knows')).toHaveLength(1);
  });
});

describe('recording what is not sampled', () => {
  it('with statsd, a span the ratio drops is recorded (RECORD), one it keeps is sampled; without statsd it is dropped', () => {
    const env = { OTEL_TRACES_SAMPLER: 'always_off' };
    expect(decide(configuredSampler(env, true))).toBe(SamplingDecision.RECORD);
    expect(decide(configuredSampler(env, false))).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(configuredSampler({ OTEL_TRACES_SAMPLER: 'always_on' }, true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
