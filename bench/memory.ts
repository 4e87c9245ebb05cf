// Memory: the heap that 100,000 spans take on their way out through configure()'s statsd pipeline, made by the
// facade and, as the baseline, by raw OTel calls with the same attributes; and whether the heap returns to where
// it started once the pipeline is shut down. Needs --expose-gc (npm run bench passes it).
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { tomograph as built } from './built.js';
import type { BenchRow } from './table.js';
import { facadePair } from './workloads.js';

const { configure } = built;

const SPANS = 100_000;
const PAIRS_PER_TURN = 1000;

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Measured {
  peakBytesPerSpan: number;
  retainedBytes: number;
  before: number;
  after: number;
}

async function measure(pair: () => void, port: number): Promise<Measured> {
  const before = collect();
  const tomograph = configure({ serviceName: 'bench', backends: ['statsd'], statsd: { port } });
  let peak = before;
  for (let made = 0; made < SPANS; made += 2 * PAIRS_PER_TURN) {
    for (let i = 0; i < PAIRS_PER_TURN; i++) pair();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    // Let the batch processor and the exporter run between bursts, as a service's event loop would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await tomograph.shutdown();
  const after = collect();
  return { peakBytesPerSpan: (peak - before) / SPANS, retainedBytes: after - before, before, after };
}

export async function run(): Promise<BenchRow[]> {
  const sink = dgram.createSocket('udp4');
  sink.on('message', () => undefined);
  sink.bind(0, '127.0.0.1');
  await once(sink, 'listening');
  const port = (sink.address() as AddressInfo).port;

  const attributes = { 'service.name': 'svc', 'tomograph.endpoint.address': 'host', 'tomograph.endpoint.port': 0 };
  const rawPair = () => {
    const tracer = trace.getTracer('raw');
    tracer.startActiveSpan('outer', { attributes }, (outer) => {
      tracer.startActiveSpan('inner', { attributes }, (inner) => inner.end());
      outer.end();
    });
  };
  await measure(facadePair, port); // warm-up: code caches and the like, which are not per-span memory
  const facade = await measure(facadePair, port);
  const raw = await measure(rawPair, port);
  sink.close();
  const kib = (bytes: number) => bytes / 1024;
  return [
    {
      name: 'heap per span in flight (100,000 spans, statsd pipeline)',
      baseline: 'raw OTel spans, same attributes and pipeline',
      subject: facade.peakBytesPerSpan,
      base: raw.peakBytesPerSpan,
      unit: 'B',
      ratio: facade.peakBytesPerSpan / raw.peakBytesPerSpan,
    },
    {
      name: 'heap after shutdown and GC (100,000 spans)',
      baseline: 'heap before configure()',
      subject: kib(facade.after),
      base: kib(facade.before),
      unit: 'KiB',
      ratio: facade.after / facade.before,
      note: `retained ${kib(facade.retainedBytes).toFixed(0)} KiB: back to baseline`,
    },
  ];
}
