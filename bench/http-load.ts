// The load benchmark: an Express 5 app under 50 keep-alive connections for TOMOGRAPH_BENCH_SECONDS (default 5; the
// issue's sustained run is 60), untraced and traced two ways, each in its own process, sending to a real statsd
// daemon. Prints spans made, spans counted at the daemon and the loss, beside the same app without tracing.
// TOMOGRAPH_BENCH_NODE names another Node binary for the app and its load (e.g. Node 24, where the same app makes
// about three times the requests); the daemon stays on the Node running the bench.
//   npx tsx bench/http-load.ts        TOMOGRAPH_BENCH_SECONDS=60 npx tsx bench/http-load.ts
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startStatsdDaemon, type StatsdDaemon } from '../test/support/statsd-daemon.js';
import { renderTable, type BenchRow } from './table.js';

interface AppRun {
  setup: string;
  node: string;
  served: number;
  answered: number;
  errors: number;
  loadSeconds: number;
  drainSeconds: number;
  busy: number;
  stats: { spansDropped?: number; linesDropped?: number };
}

const SECONDS = Number(process.env.TOMOGRAPH_BENCH_SECONDS ?? 5);
const APP_NODE = process.env.TOMOGRAPH_BENCH_NODE || process.execPath;

function runApp(setup: string, statsdPort: number): Promise<AppRun> {
  const app = fileURLToPath(new URL('./http-app.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(APP_NODE, ['--import', 'tsx', app, setup, String(SECONDS), String(statsdPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** Spans the daemon counted: every span sends exactly one `.stop` counter. */
async function spansCounted(daemon: StatsdDaemon): Promise<number> {
  let last = -1;
  let total = 0;
  while (total !== last) {
    last = total;
    await new Promise((r) => setTimeout(r, 500));
    const counters = await daemon.counters();
    total = Object.entries(counters).filter(([name]) => name.endsWith('.stop')).reduce((sum, [, value]) => sum + value, 0);
  }
  return total;
}

export async function run(): Promise<BenchRow[]> {
  const daemon = await startStatsdDaemon({ dumpMessages: false });
  try {
    const untraced = await runApp('untraced', daemon.udpPort);
    const rows: BenchRow[] = [];
    const baseRate = untraced.served / untraced.loadSeconds;
    for (const [setup, label] of [
      ['existing', 'existing setup: instrumentation-http, default BatchSpanProcessor, StatsdSpanExporter'],
      ['configure', "configure({ backends: ['statsd'] }) and tomograph's middleware"],
    ] as const) {
      await daemon.clear();
      const traced = await runApp(setup, daemon.udpPort);
      const counted = await spansCounted(daemon);
      const made = traced.served;
      const rate = made / traced.loadSeconds;
      rows.push({
        name: `HTTP load ${SECONDS} s on Node ${traced.node}, ${label}: spans made / counted at the daemon`,
        baseline: 'spans made',
        subject: counted,
        base: made,
        unit: 'spans',
        ratio: counted / Math.max(1, made),
        note: `loss ${made - counted}; ${Math.round(rate)} req/s vs ${Math.round(baseRate)} untraced (${(rate / baseRate).toFixed(2)}×); drained ${traced.drainSeconds.toFixed(2)} s after the load; app busy ${(traced.busy * 100).toFixed(0)}%`,
      });
    }
    return rows;
  } finally {
    await daemon.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(renderTable(await run()));
}
