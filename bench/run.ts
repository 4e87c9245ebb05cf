// `npm run bench`: every benchmark under bench/, one table of ratios measured in this process.
import { arch, cpus, totalmem } from 'node:os';
import { renderTable, type BenchRow } from './table.js';

const suites: { name: string; load: () => Promise<{ run(): Promise<BenchRow[]> }> }[] = [
  { name: 'facade', load: () => import('./facade.js') },
  { name: 'siblings', load: () => import('./siblings.js') },
  { name: 'zipkin-js', load: () => import('./zipkin-js.js') },
  { name: 'memory', load: () => import('./memory.js') },
  { name: 'statsd', load: () => import('./statsd.js') },
  { name: 'zipkin', load: () => import('./zipkin.js') },
  // tomograph-migrate over a generated repository of 17,600 files, in processes of their own.
  { name: 'migrate', load: () => import('./migrate.js') },
  // Each setup in a process of its own, under load from another process; TOMOGRAPH_BENCH_SECONDS=60 for the long run.
  { name: 'http-load', load: () => import('./http-load.js') },
];

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  process.stderr.write(`running ${suite.name}…\n`);
  rows.push(...(await (await suite.load()).run()));
}
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Node ${process.version}, ${arch()}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
console.log(renderTable(rows));
// Some baselines (zipkin-js's recorder) keep timers; the table is printed, so the run is over.
process.exit(0);
