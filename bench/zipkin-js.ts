// The peer a user might pick instead: zipkin-js (npm `zipkin`), with its CLS context (async-aware, as the
// facade is) and a BatchRecorder whose logger discards, against the facade on a discarding OTel pipeline.
import { BatchRecorder, Tracer } from 'zipkin';
import CLSContext from 'zipkin-context-cls';
import { compare, costRow, type BenchRow } from './table.js';
import { facadePair, setupBenchOtel } from './otel-setup.js';

export async function run(): Promise<BenchRow[]> {
  const otel = setupBenchOtel();
  const recorder = new BatchRecorder({ logger: { logSpan: () => undefined } });
  const tracer = new Tracer({ ctxImpl: new CLSContext('zipkin', true), recorder, localServiceName: 'svc' });
  const zipkinPair = () => {
    tracer.local('outer', () => tracer.local('inner', () => undefined));
  };
  const result = compare(facadePair, zipkinPair, 20_000);
  await otel.teardown();
  return [
    costRow(
      'nested span pair',
      'zipkin-js 0.22 tracer.local pair, CLS context',
      result,
      'cost ratio (time per pair); < 1 means tomograph is faster',
    ),
  ];
}
