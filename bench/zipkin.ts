// What a span costs on its way to Zipkin beside its way to statsd, per span, against the price of making the span
// itself (one span with the facade's three attributes and a note, ended), all in this process:
//   - statsd: the exporter's pure mapping (span → metric lines), what runs per span before the UDP send;
//   - Zipkin without the network: tomograph's span view, the stock transform and the JSON body, through the bounded
//     exporter, with the stock exporter's own send replaced on this one instance by JSON.stringify;
//   - Zipkin over loopback HTTP: the same plus the POST to a server that reads the body and answers 202.
//   npx tsx bench/zipkin.ts
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { formatMetricLine, spanToMetrics } from '../src/exporters/statsd/metrics.js';
import { readSpanFacts } from '../src/exporters/statsd/span-facts.js';
import { BoundedZipkinExporter, type StockZipkinExporter } from '../src/exporters/zipkin/bounded-exporter.js';
import { newMemoryExporter, newProvider, simpleProcessor, type ReadableSpan } from '../test/support/sdk-line.js';
import { median, renderTable, type BenchRow } from './table.js';

const SPANS = 1000;
const ROUNDS = 9;
const WARMUP = 3;
const ATTRIBUTES = {
  'service.name': 'test server',
  'tomograph.endpoint.address': 'openstack1',
  'tomograph.endpoint.port': 80,
};

function makeSpans(count: number): { spans: ReadableSpan[]; microsPerSpan: number } {
  const memory = newMemoryExporter();
  const provider = newProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    spanProcessors: [simpleProcessor(memory)],
  });
  const tracer = provider.getTracer('bench');
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan('server response', { attributes: ATTRIBUTES });
    span.addEvent('this is an annotation');
    span.end();
  }
  const micros = Number(process.hrtime.bigint() - started) / 1e3;
  const spans = memory.getFinishedSpans();
  memory.reset();
  return { spans, microsPerSpan: micros / count };
}

function microsPer(count: number, work: () => void): number {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e3 / count;
}

async function microsPerAsync(count: number, work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e3 / count;
}

function exportOnce(exporter: BoundedZipkinExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(spans, (result) =>
      result.code === 0 ? resolve() : reject(result.error ?? new Error('export failed')),
    ),
  );
}

export async function run(): Promise<BenchRow[]> {
  const make: number[] = [];
  const statsd: number[] = [];
  const zipkinCpu: number[] = [];
  const zipkinHttp: number[] = [];
  const problems = { clampedDurations: 0, namerErrors: 0 };
  const options = { naming: 'legacy', notes: 'by-value', fractionalDurations: false, prefix: '' } as const;

  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2/spans`;
  const agentless = new ZipkinExporter({ url, serviceName: 'bench' }) as unknown as StockZipkinExporter & {
    _send: unknown;
  };
  // This one instance sends nowhere: the body is built as the stock send would build it, then dropped. `_send` is
  // the stock exporter's private sender (exporter-zipkin 1.x to 3.x): say so rather than time HTTP by mistake.
  if (typeof agentless._send !== 'function') throw new Error('bench: ZipkinExporter has no private _send any more');
  agentless._send = (zipkinSpans: unknown[], done: (result: { code: number }) => void) => {
    JSON.stringify(zipkinSpans);
    done({ code: 0 });
  };
  const cpuOnly = new BoundedZipkinExporter({ inner: agentless, timeoutMillis: 5000 });
  const overHttp = new BoundedZipkinExporter({
    inner: new ZipkinExporter({ url, serviceName: 'bench' }) as unknown as StockZipkinExporter,
    timeoutMillis: 5000,
  });

  // Rounds below WARMUP are run and not kept: they time the JIT compiling each path.
  for (let round = -WARMUP; round < ROUNDS; round++) {
    const keep = <T>(list: T[], value: T): void => void (round >= 0 && list.push(value));
    const { spans, microsPerSpan } = makeSpans(SPANS);
    keep(make, microsPerSpan);
    keep(
      statsd,
      microsPer(spans.length, () => {
        for (const span of spans)
          for (const metric of spanToMetrics(readSpanFacts(span, 'host'), options, problems)) formatMetricLine(metric);
      }),
    );
    keep(zipkinCpu, await microsPerAsync(spans.length, () => exportOnce(cpuOnly, spans)));
    keep(zipkinHttp, await microsPerAsync(spans.length, () => exportOnce(overHttp, spans)));
  }
  await overHttp.shutdown();
  await new Promise((resolve) => server.close(resolve));

  const base = median(make);
  const row = (name: string, values: number[], note: string): BenchRow => ({
    name,
    baseline: 'making the span',
    subject: median(values),
    base,
    unit: 'µs/span',
    ratio: median(values) / base,
    note,
  });
  return [
    row('statsd: span → metric lines', statsd, 'cost ratio per span (before the UDP send)'),
    row(
      'Zipkin: span view + stock transform + JSON',
      zipkinCpu,
      `cost ratio per span, batches of ${SPANS}, no network`,
    ),
    row('Zipkin: the same + POST over loopback', zipkinHttp, `cost ratio per span, batches of ${SPANS}`),
    {
      name: 'Zipkin beside statsd, per span',
      baseline: 'statsd mapping',
      subject: median(zipkinCpu),
      base: median(statsd),
      unit: 'µs/span',
      ratio: median(zipkinCpu) / median(statsd),
      note: 'what a Zipkin span costs for each µs a statsd span costs',
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(renderTable(await run()));
}
