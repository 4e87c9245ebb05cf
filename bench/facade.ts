// The facade's cost: a nested start/start/stop/stop pair against the raw OTel nested startActiveSpan pair, on
// the same provider and processor, in one process.
import { compare, costRow, type BenchRow } from './table.js';
import { facadePair, setupBenchOtel } from './otel-setup.js';

export async function run(): Promise<BenchRow[]> {
  const otel = setupBenchOtel();
  const tracer = otel.tracer;
  const rawPair = () => {
    tracer.startActiveSpan('outer', (outer) => {
      tracer.startActiveSpan('inner', (inner) => inner.end());
      outer.end();
    });
  };
  // The facade records service and endpoint on each span; this baseline does the same work natively.
  const attributes = { 'service.name': 'svc', 'tomograph.endpoint.address': 'host', 'tomograph.endpoint.port': 0 };
  const rawPairWithAttributes = () => {
    tracer.startActiveSpan('outer', { attributes }, (outer) => {
      tracer.startActiveSpan('inner', { attributes }, (inner) => inner.end());
      outer.end();
    });
  };

  const iterations = 20_000;
  const plain = compare(facadePair, rawPair, iterations);
  await otel.flush();
  const fair = compare(facadePair, rawPairWithAttributes, iterations);
  await otel.flush();
  const attributeCost = compare(rawPairWithAttributes, rawPair, iterations);
  await otel.teardown();
  return [
    costRow(
      'nested span pair (start/start/stop/stop)',
      'raw OTel startActiveSpan pair',
      plain,
      'cost ratio (time per pair)',
    ),
    costRow(
      'nested span pair, same attributes',
      'raw OTel pair with service and endpoint attributes',
      fair,
      'cost ratio (time per pair): what the bridge itself costs',
    ),
    costRow(
      'raw OTel pair with those 3 attributes',
      'raw OTel startActiveSpan pair',
      attributeCost,
      "cost ratio: OTel's own price of recording service and endpoint",
    ),
  ];
}
