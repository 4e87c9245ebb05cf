// The HTTP benchmark: an Express 5 app under 50 keep-alive connections for TOMOGRAPH_BENCH_SECONDS (default 5), in six
// setups, each in its own process, run alternately TOMOGRAPH_BENCH_ROUNDS times (default 5) so that drift in a shared
// machine hits every setup alike. Per setup: the median requests per second and CPU time of the app process per
// request (process.cpuUsage()), with their spread (min–max over the rounds), as ratios to instrumentation-http alone;
// for the statsd setups, spans counted at a real statsd daemon against spans made. Zipkin and OTLP go to a loopback
// sink in this process that answers every POST at once.
// TOMOGRAPH_BENCH_NODE names another Node binary for the app and its load client (the daemon stays on this Node).
// TOMOGRAPH_BENCH_SETUPS=http-only,configure-zipkin runs only those setups (the baseline is always run);
// TOMOGRAPH_BENCH_APP_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' passes Node flags to each app process (profiling).
//   npx tsx bench/http-load.ts        TOMOGRAPH_BENCH_ROUNDS=7 TOMOGRAPH_BENCH_SECONDS=10 npx tsx bench/http-load.ts
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startStatsdDaemon, type StatsdDaemon } from '../test/support/statsd-daemon.js';
import { median, renderTable, type BenchRow } from './table.js';

interface AppRun {
  setup: string;
  node: string;
  served: number;
  answered: number;
  errors: number;
  loadSeconds: number;
  drainSeconds: number;
  busy: number;
  cpuMicrosPerRequest: number;
  stats: { spansDropped?: number; linesDropped?: number };
}

const SECONDS = Number(process.env.TOMOGRAPH_BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.TOMOGRAPH_BENCH_ROUNDS ?? 5);
const APP_NODE = process.env.TOMOGRAPH_BENCH_NODE || process.execPath;
const APP_FLAGS = (process.env.TOMOGRAPH_BENCH_APP_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
const ONLY = (process.env.TOMOGRAPH_BENCH_SETUPS ?? '').split(',').filter((name) => name !== '');
// With taskset and at least two CPUs, the app gets CPU 0 to itself and the load client, the statsd daemon and the
// collector share CPU 1: left to the scheduler, the same setup ran at 2,300 or 4,300 req/s depending on where its
// processes landed. TOMOGRAPH_BENCH_PIN=0 turns it off.
const PIN =
  process.env.TOMOGRAPH_BENCH_PIN !== '0' &&
  availableParallelism() >= 2 &&
  spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' }).status === 0;

/** The setups, the baseline (instrumentation-http alone) first among the traced ones. */
const SETUPS = [
  ['untraced', 'untraced Express app', false],
  ['http-only', 'instrumentation-http alone (spans made, no exporter)', false],
  ['http-statsd', 'instrumentation-http + StatsdSpanProcessor(StatsdSpanExporter)', true],
  ['http-statsd-zipkin', 'instrumentation-http + StatsdSpanProcessor + stock BatchSpanProcessor(ZipkinExporter)', true],
  ['configure-statsd', "configure({ backends: ['statsd'] }) + middleware", true],
  ['configure-zipkin', "configure({ backends: ['statsd', 'zipkin'] }) + middleware", true],
  ['configure-otlp', "configure({ backends: ['statsd', 'otlp'] }) + middleware", true],
] as const;
type Setup = (typeof SETUPS)[number][0];
const BASELINE: Setup = 'http-only';
const CHOSEN = SETUPS.filter(([setup]) => ONLY.length === 0 || setup === BASELINE || ONLY.includes(setup));

function runApp(setup: Setup, statsdPort: number, collectorPort: number): Promise<AppRun> {
  const app = fileURLToPath(new URL('./http-app.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const args = [
      ...APP_FLAGS,
      '--import',
      'tsx',
      app,
      setup,
      String(SECONDS),
      String(statsdPort),
      String(collectorPort),
    ];
    const child = PIN
      ? spawn('taskset', ['-c', '0', APP_NODE, ...args], {
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, TOMOGRAPH_BENCH_CLIENT_CPU: '1' },
        })
      : spawn(APP_NODE, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as AppRun);
      } catch (error) {
        reject(new Error(`${setup}: ${String(error)}: ${out}`));
      }
    });
  });
}

/** Spans the daemon counted: every span of legacy naming sends exactly one `.stop` counter. */
async function spansCounted(daemon: StatsdDaemon): Promise<number> {
  let last = -1;
  let total = 0;
  while (total !== last) {
    last = total;
    await new Promise((r) => setTimeout(r, 500));
    const counters = await daemon.counters();
    total = Object.entries(counters)
      .filter(([name]) => name.endsWith('.stop'))
      .reduce((sum, [, value]) => sum + value, 0);
  }
  return total;
}

/** A Zipkin and OTLP/HTTP collector that reads each body and answers at once (202 for Zipkin, 200 for OTLP). */
async function startSink(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.url === '/v1/traces' ? 200 : 202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const spread = (values: readonly number[], digits: number): string =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

export async function run(): Promise<BenchRow[]> {
  const daemon = await startStatsdDaemon({ dumpMessages: false });
  const sink = await startSink();
  const sinkPort = (sink.address() as AddressInfo).port;
  try {
    const runs = new Map<Setup, Array<AppRun & { counted?: number }>>(CHOSEN.map(([setup]) => [setup, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [setup, , counts] of CHOSEN) {
        await daemon.clear();
        const result: AppRun & { counted?: number } = await runApp(setup, daemon.udpPort, sinkPort);
        if (counts) result.counted = await spansCounted(daemon);
        runs.get(setup)!.push(result);
        process.stderr.write(
          `  round ${round + 1}/${ROUNDS} ${setup}: ${Math.round(result.served / result.loadSeconds)} req/s, ${result.cpuMicrosPerRequest.toFixed(1)} µs CPU/request\n`,
        );
      }
    }
    const rateOf = (run: AppRun): number => run.served / run.loadSeconds;
    const base = runs.get(BASELINE)!;
    const baseRate = median(base.map(rateOf));
    const baseCpu = median(base.map((r) => r.cpuMicrosPerRequest));
    const rows: BenchRow[] = [];
    for (const [setup, label, counts] of CHOSEN) {
      const list = runs.get(setup)!;
      const rates = list.map(rateOf);
      const cpus = list.map((r) => r.cpuMicrosPerRequest);
      // Ratios per round (each against the baseline's run of the same round) give the spread of the ratio itself.
      const rateRatios = list.map((r, i) => rateOf(r) / rateOf(base[i]!));
      const cpuRatios = list.map((r, i) => r.cpuMicrosPerRequest / base[i]!.cpuMicrosPerRequest);
      const made = list.reduce((sum, r) => sum + r.served, 0);
      const counted = list.reduce((sum, r) => sum + (r.counted ?? 0), 0);
      const node = list[0]!.node;
      rows.push({
        name: `HTTP ${SECONDS} s × ${ROUNDS} rounds${PIN ? ', app on its own CPU' : ''}, Node ${node}: ${label}: req/s`,
        baseline: 'instrumentation-http alone',
        subject: median(rates),
        base: baseRate,
        unit: 'req/s',
        // The median of the per-round ratios: each round's setups ran back to back, so a slow spell of the machine
        // moves both sides of a round's ratio together.
        ratio: median(rateRatios),
        note: `req/s ${spread(rates, 0)}; ratio per round ${spread(rateRatios, 2)}`,
      });
      rows.push({
        name: `HTTP, Node ${node}: ${label}: app CPU per request`,
        baseline: 'instrumentation-http alone',
        subject: median(cpus),
        base: baseCpu,
        unit: 'µs',
        ratio: median(cpuRatios),
        note: `µs ${spread(cpus, 1)}; ratio per round ${spread(cpuRatios, 2)}${counts ? `; spans counted at the daemon ${counted} of ${made} made` : ''}`,
      });
    }
    return rows;
  } finally {
    sink.close();
    await daemon.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(renderTable(await run()));
}
