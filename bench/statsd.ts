// Benchmark of the statsd exporter against a direct hot-shots client sending the same lines, both to a real statsd
// daemon: a burst (the legacy benchmark), a sustained rate (TOMOGRAPH_BENCH_SECONDS, default 5; 60 for the
// issue's long run) fed through the SDK's default BatchSpanProcessor, and how close to the wire it is (datagrams
// per span, lines per datagram, the share of time the process sat idle).
//   npx tsx bench/statsd.ts
import { resourceFromAttributes } from '@opentelemetry/resources';
import { performance } from 'node:perf_hooks';
import { StatsD } from 'hot-shots';
import { pathToFileURL } from 'node:url';
import { StatsdSpanExporter, StatsdSpanProcessor, type StatsdSpanExporterOptions } from '../src/statsd.js';
import { formatMetricLine, spanToMetrics } from '../src/exporters/statsd/metrics.js';
import { readSpanFacts } from '../src/exporters/statsd/span-facts.js';
import { freeUdpPort } from '../test/support/ports.js';
import {
  batchProcessor,
  newMemoryExporter,
  newProvider,
  simpleProcessor,
  type ReadableSpan,
} from '../test/support/sdk-line.js';
import { startStatsdDaemon, type StatsdDaemon } from '../test/support/statsd-daemon.js';
import { renderTable, type BenchRow } from './table.js';

const PAIRS = 10_000;
const BATCH = 1000;

/** The legacy benchmark's spans: 10,000 `client request`, each with a nested `server response`. */
function legacySpans(): ReadableSpan[] {
  const memory = newMemoryExporter();
  const provider = newProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    spanProcessors: [simpleProcessor(memory)],
  });
  const tracer = provider.getTracer('bench');
  for (let i = 0; i < PAIRS; i += 1) {
    const client = tracer.startSpan('client request', {
      attributes: {
        'service.name': 'test client',
        'tomograph.endpoint.address': 'openstack1',
        'tomograph.endpoint.port': 0,
      },
    });
    const server = tracer.startSpan('server response', {
      attributes: {
        'service.name': 'test server',
        'tomograph.endpoint.address': 'openstack1',
        'tomograph.endpoint.port': 80,
      },
    });
    server.end();
    client.end();
  }
  return memory.getFinishedSpans();
}

interface Received {
  lines: number;
  datagrams: number;
}

/** Waits until the daemon's counts stop moving, then returns what it received since the last clear. */
async function settle(daemon: StatsdDaemon): Promise<Received> {
  let last = -1;
  let counters = await daemon.counters();
  while (counters['statsd.metrics_received'] !== last) {
    last = counters['statsd.metrics_received'] ?? 0;
    await new Promise((r) => setTimeout(r, 300));
    counters = await daemon.counters();
  }
  return { lines: counters['statsd.metrics_received'] ?? 0, datagrams: counters['statsd.packets_received'] ?? 0 };
}

/** Exports `spans` as a BatchSpanProcessor would (one batch at a time) and shuts down; returns the seconds taken. */
async function exportAll(spans: ReadableSpan[], options: StatsdSpanExporterOptions): Promise<number> {
  const exporter = new StatsdSpanExporter(options);
  const started = process.hrtime.bigint();
  for (let i = 0; i < spans.length; i += BATCH) {
    await new Promise<void>((resolve) => exporter.export(spans.slice(i, i + BATCH), () => resolve()));
  }
  await exporter.shutdown();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function runExporter(
  daemon: StatsdDaemon,
  spans: ReadableSpan[],
): Promise<{ seconds: number; received: Received }> {
  await daemon.clear();
  const seconds = await exportAll(spans, { host: daemon.host, port: daemon.udpPort });
  return { seconds, received: await settle(daemon) };
}

/** Sends the lines with a direct hot-shots client in one synchronous loop; returns the seconds to close. */
async function sendDirect(port: number, lines: string[]): Promise<number> {
  const client = new StatsD({
    host: '127.0.0.1',
    port,
    maxBufferSize: 1432,
    datadog: false,
    includeDataDogTags: false,
    errorHandler: () => {},
  });
  const parsed = lines.map((line) => {
    const colon = line.lastIndexOf(':');
    const [value, type] = line.slice(colon + 1).split('|');
    return { name: line.slice(0, colon), value: Number(value), timer: type === 'ms' };
  });
  const started = process.hrtime.bigint();
  for (const { name, value, timer } of parsed) {
    if (timer) client.timing(name, value);
    else client.increment(name, value);
  }
  await new Promise<void>((resolve) => client.close(() => resolve()));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function runDirect(daemon: StatsdDaemon, lines: string[]): Promise<{ seconds: number; received: Received }> {
  await daemon.clear();
  const seconds = await sendDirect(daemon.udpPort, lines);
  return { seconds, received: await settle(daemon) };
}

/** A UDP port nothing reads: what the sender costs, whatever the receiver does. */

const RATE = Number(process.env.TOMOGRAPH_BENCH_RATE ?? 35_000);
const SECONDS = Number(process.env.TOMOGRAPH_BENCH_SECONDS ?? 5);

/** Spans of five lines each (timer, start, two notes, stop), as many as a sustained run needs. */
function fiveLineSpans(count: number): ReadableSpan[] {
  const memory = newMemoryExporter();
  const provider = newProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    spanProcessors: [simpleProcessor(memory)],
  });
  const tracer = provider.getTracer('bench');
  for (let i = 0; i < count; i += 1) {
    const span = tracer.startSpan('GET /servers', {
      attributes: {
        'service.name': 'nova api',
        'tomograph.endpoint.address': 'api.example.com',
        'tomograph.endpoint.port': 8774,
      },
    });
    span.addEvent('db');
    span.addEvent('cache');
    span.end();
  }
  return memory.getFinishedSpans();
}

/**
 * Calls `emit(i)` for i = 0…count-1 spread evenly at `rate` per second (each turn of the event loop emits what
 * is due); returns the event loop's idle share over the run.
 */
async function atRate(
  count: number,
  rate: number,
  emit: (i: number) => void,
): Promise<{ seconds: number; idle: number }> {
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const turn = (): void => {
      const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * rate));
      while (next < due) emit(next++);
      if (next >= count) resolve();
      else setTimeout(turn, 1);
    };
    turn();
  });
  return { seconds: (performance.now() - started) / 1000, idle: 1 - performance.eventLoopUtilization(elu).utilization };
}

interface Sustained {
  lost: number;
  dropped: number;
  idle: number;
  datagrams: number;
  lines: number;
}

/** Feeds `spans` at RATE through `processor` (onEnd, as the SDK would) into an exporter; what the daemon counted. */
async function sustainThrough(
  daemon: StatsdDaemon,
  spans: ReadableSpan[],
  linesTotal: number,
  kind: 'batch' | 'statsd',
): Promise<Sustained> {
  await daemon.clear();
  const rate = process.env.TOMOGRAPH_BENCH_STATSD_BYTES_PER_SECOND;
  const exporter = new StatsdSpanExporter({
    host: daemon.host,
    port: daemon.udpPort,
    hostName: 'bench',
    ...(rate === undefined ? {} : { maxBytesPerSecond: Number(rate) }),
  });
  const processor = kind === 'batch' ? batchProcessor(exporter) : new StatsdSpanProcessor(exporter);
  const run = await atRate(spans.length, RATE, (i) => processor.onEnd(spans[i]!));
  await processor.shutdown();
  const received = await settle(daemon);
  const stats = exporter.getStats();
  return {
    lost: linesTotal - received.lines,
    dropped: spans.length - stats.spansSent,
    idle: run.idle,
    datagrams: received.datagrams,
    lines: received.lines,
  };
}

/** The same spans at the same steady rate: through each processor into the exporter, and by a direct client. */
async function sustainedRows(daemon: StatsdDaemon): Promise<BenchRow[]> {
  const count = RATE * SECONDS;
  const spans = fiveLineSpans(count);
  const problems = { clampedDurations: 0, namerErrors: 0 };
  const lines = spans.map((span) =>
    spanToMetrics(
      readSpanFacts(span, 'bench'),
      { naming: 'legacy', notes: 'by-value', fractionalDurations: false, prefix: '' },
      problems,
    ).map((m) => formatMetricLine(m)),
  );
  const linesTotal = lines.reduce((sum, l) => sum + l.length, 0);

  const viaProcessor = await sustainThrough(daemon, spans, linesTotal, 'statsd');
  const viaBatch = await sustainThrough(daemon, spans, linesTotal, 'batch');

  await daemon.clear();
  const client = new StatsD({
    host: '127.0.0.1',
    port: daemon.udpPort,
    maxBufferSize: 1432,
    datadog: false,
    includeDataDogTags: false,
    errorHandler: () => {},
  });
  const direct = await atRate(count, RATE, (i) => {
    for (const line of lines[i]!) {
      const colon = line.lastIndexOf(':');
      if (line.endsWith('|ms')) client.timing(line.slice(0, colon), Number(line.slice(colon + 1, -3)));
      else client.increment(line.slice(0, colon), 1);
    }
  });
  await new Promise<void>((resolve) => client.close(() => resolve()));
  const directReceived = await settle(daemon);
  const directLost = linesTotal - directReceived.lines;

  const row = (through: string, result: Sustained): BenchRow => ({
    name: `statsd sustained ${RATE.toLocaleString('en-US')} spans/s × ${SECONDS} s (5 lines each) through ${through}: lines lost (of ${linesTotal.toLocaleString('en-US')})`,
    baseline: 'direct hot-shots client at the same rate',
    subject: result.lost,
    base: directLost,
    unit: 'lines',
    ratio: (result.lost + 1) / (directLost + 1),
    note: `of which spans never sent ${result.dropped}; ${(result.datagrams / count).toFixed(3)} vs ${(directReceived.datagrams / count).toFixed(3)} datagrams/span, ${(result.lines / Math.max(1, result.datagrams)).toFixed(1)} vs ${(directReceived.lines / Math.max(1, directReceived.datagrams)).toFixed(1)} lines/datagram; idle ${(result.idle * 100).toFixed(0)}% vs ${(direct.idle * 100).toFixed(0)}%; ratio (lost+1)/(lost+1)`,
  });
  return [row('StatsdSpanProcessor', viaProcessor), row("the SDK's default BatchSpanProcessor", viaBatch)];
}

export async function run(): Promise<BenchRow[]> {
  const daemon = await startStatsdDaemon({ dumpMessages: false });
  try {
    const spans = legacySpans();
    const problems = { clampedDurations: 0, namerErrors: 0 };
    const lines = spans.flatMap((span) =>
      spanToMetrics(
        readSpanFacts(span, 'bench'),
        { naming: 'legacy', notes: 'by-value', fractionalDurations: false, prefix: '' },
        problems,
      ).map((m) => formatMetricLine(m)),
    );
    const exporter = await runExporter(daemon, spans);
    const direct = await runDirect(daemon, lines);
    // Unpaced, to a port nobody reads: the exporter's own cost (reading spans, naming, bounding) per span.
    const port = await freeUdpPort();
    const unpacedSeconds = await exportAll(spans, { port, maxBytesPerSecond: 0 });
    const directUnreadSeconds = await sendDirect(port, lines);
    const ratio = (subject: number, base: number): number =>
      base === 0 ? (subject === 0 ? 1 : Number.POSITIVE_INFINITY) : subject / base;
    const spansPerSecond = spans.length / exporter.seconds;
    const directSpansPerSecond = spans.length / direct.seconds;
    const perDatagram = exporter.received.lines / Math.max(1, exporter.received.datagrams);
    const directPerDatagram = direct.received.lines / Math.max(1, direct.received.datagrams);
    const lost = lines.length - exporter.received.lines;
    const directLost = lines.length - direct.received.lines;
    const sustained = await sustainedRows(daemon);
    return [
      ...sustained,
      {
        name: 'statsd exporter throughput (legacy benchmark spans, UDP, default options)',
        baseline: 'direct hot-shots client (maxBufferSize 1432) sending the same lines in one loop',
        subject: Math.round(spansPerSecond),
        base: Math.round(directSpansPerSecond),
        unit: 'spans/s',
        ratio: ratio(spansPerSecond, directSpansPerSecond),
        note: 'a backlog goes out at maxBytesPerSecond (12 MiB/s by default), so that a busy daemon keeps up',
      },
      {
        name: 'statsd exporter throughput unpaced (maxBytesPerSecond 0), UDP port nobody reads',
        baseline: 'direct hot-shots client sending the same precomputed lines',
        subject: Math.round(spans.length / unpacedSeconds),
        base: Math.round(spans.length / directUnreadSeconds),
        unit: 'spans/s',
        ratio: directUnreadSeconds / unpacedSeconds,
        note: 'the cost of reading spans, naming and bounding, on top of hot-shots',
      },
      {
        name: 'statsd exporter metric lines per datagram',
        baseline: 'direct hot-shots client (maxBufferSize 1432)',
        subject: Number(perDatagram.toFixed(1)),
        base: Number(directPerDatagram.toFixed(1)),
        unit: 'lines/datagram',
        ratio: ratio(perDatagram, directPerDatagram),
      },
      {
        name: `statsd lines lost at the daemon (of ${lines.length})`,
        baseline: 'direct hot-shots client burst of the same lines',
        subject: lost,
        base: directLost,
        unit: 'lines',
        ratio: ratio(lost, directLost),
        note: 'counted by the daemon (statsd.metrics_received); lower is better; 0 against 0 reads 1',
      },
    ];
  } finally {
    await daemon.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(renderTable(await run()));
}
