// Siblings in Promise.all: 64,000 async functions that call start() before their first await (so each starts
// inside the one before it, the chain Known limits describes) and are stopped in start order, against as many that
// start after an await (each its own child of the caller). The cost must stay linear: stopping in start order must
// not walk back through the earlier, already stopped siblings. Also what a context captured 10 spans deep keeps
// alive once they have stopped, against plain OpenTelemetry (test/facade/fixtures/captured-retention.ts).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tomograph } from './built.js';

const { start, stop } = tomograph;
import { setupBenchOtel } from './otel-setup.js';
import { median, type BenchRow } from './table.js';

const COUNT = 64_000;

async function siblings(count: number, startBeforeAwait: boolean): Promise<number> {
  const started = process.hrtime.bigint();
  start('svc', 'caller');
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const items = Array.from({ length: count }, async (_, i) => {
    if (!startBeforeAwait) await null;
    start('svc', `item ${i}`);
    await gate;
    stop(`item ${i}`);
  });
  release();
  await Promise.all(items);
  stop('caller');
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function retention(): Promise<{ facade: number; otel: number }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'test/facade/fixtures/captured-retention.ts'],
    { cwd: root, timeout: 300_000 },
  );
  return JSON.parse(stdout) as { facade: number; otel: number };
}

export async function run(): Promise<BenchRow[]> {
  const otel = setupBenchOtel();
  await siblings(4_000, true);
  await siblings(4_000, false);
  const before: number[] = [];
  const after: number[] = [];
  for (let round = 0; round < 3; round++) {
    before.push(await siblings(COUNT, true));
    await otel.flush();
    after.push(await siblings(COUNT, false));
    await otel.flush();
  }
  await otel.teardown();
  const held = await retention();
  const chained = median(before);
  const isolated = median(after);
  return [
    {
      name: `${COUNT.toLocaleString('en-US')} Promise.all siblings that start before their first await, stopped in start order`,
      baseline: 'the same siblings starting after an await',
      subject: chained,
      base: isolated,
      unit: 'ms',
      ratio: chained / isolated,
      note: 'time ratio: linear (no walk through earlier siblings)',
    },
    {
      name: 'heap a timer keeps, created 10 facade spans deep, after they stopped',
      baseline: 'plain OTel startActiveSpan 10 deep, same attributes',
      subject: held.facade,
      base: held.otel,
      unit: 'B',
      ratio: held.facade / held.otel,
      note: 'per timer, less a timer created with no span',
    },
  ];
}
