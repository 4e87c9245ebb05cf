// A sampler that records every span its inner sampler would drop, without sampling it: span processors (the statsd
// metrics) see every span, while exporters behind the SDK's processors still get only the sampled ones. The same
// idea as the SDK's createAlwaysRecordSampler (sdk-trace 2.9+ and 3), for SDK lines that lack it.
import {
  SamplingDecision,
  type Attributes,
  type Context,
  type Link,
  type Sampler,
  type SamplingResult,
  type SpanKind,
} from '@opentelemetry/api';

export function alwaysRecordSampler(inner: Sampler): Sampler {
  return {
    shouldSample(
      context: Context,
      traceId: string,
      spanName: string,
      spanKind: SpanKind,
      attributes: Attributes,
      links: Link[],
    ): SamplingResult {
      const result = inner.shouldSample(context, traceId, spanName, spanKind, attributes, links);
      return result.decision === SamplingDecision.NOT_RECORD
        ? { ...result, decision: SamplingDecision.RECORD }
        : result;
    },
    toString: () => `AlwaysRecordSampler{${inner.toString()}}`,
  };
}
