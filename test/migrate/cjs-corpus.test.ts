// The CommonJS corpus file, before and after tomograph-migrate, run as its user runs it (require, configure with
// the statsd backend) in a process of its own: the same statsd lines at a real daemon (timer values aside).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { migrateSource } from '../../src/migrate/migrate-source.js';
import { loadTypeScript, type TypeScript } from '../../src/migrate/parse.js';
import { useStatsdDaemon } from '../support/statsd-daemon.js';

const ts = (await loadTypeScript()) as TypeScript;
const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const daemon = useStatsdDaemon();
const corpus = (folder: string): string => fileURLToPath(new URL(`./corpus/${folder}/job-worker.cjs`, import.meta.url));

async function linesOf(file: string): Promise<string[]> {
  await daemon().clear();
  await run(
    process.execPath,
    ['--import', 'tsx', 'test/migrate/cjs-runner.ts', file, daemon().host, String(daemon().udpPort)],
    {
      cwd: root,
      timeout: 60_000,
      env: { ...process.env, TOMOGRAPH_BACKENDS: '', OTEL_EXPORTER_ZIPKIN_ENDPOINT: '', TOMOGRAPH_STATSD_HOST: '' },
    },
  );
  // shutdown() flushed the exporter; give the last datagrams time to arrive.
  let seen = -1;
  while (daemon().lines().length !== seen) {
    seen = daemon().lines().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return daemon()
    .lines()
    .map((line) => line.replace(/:\d+(?:\.\d+)?\|ms$/, ':<ms>|ms'));
}

describe('the CommonJS corpus', () => {
  it('job-worker.cjs: the committed rewrite is what the codemod makes, and a second run changes nothing', () => {
    const first = migrateSource(ts, 'job-worker.cjs', readFileSync(corpus('legacy'), 'utf8'));
    if (!first.ok) throw new Error(first.error);
    expect(first.text).toBe(readFileSync(corpus('migrated'), 'utf8'));
    // job.id's type is not known here (plain JavaScript): the tag stays the facade's, which records it on the same
    // span.
    expect(first.reports.map((report) => `${report.line}: ${report.reason}`)).toEqual([
      "11: tag('job.id', job.id): the value may not be a string, number or boolean, which the facade recorded as text; rewrite by hand",
    ]);
    const second = migrateSource(ts, 'job-worker.cjs', first.text);
    expect(second.ok && second.changed).toBe(false);
  });

  it('job-worker.cjs: before and after the rewrite, run through require() and configure(), the same statsd lines', async () => {
    const legacy = await linesOf(corpus('legacy'));
    expect(legacy).toEqual([
      'cjs-worker-10-0-0-6-7000.job:<ms>|ms',
      'cjs-worker-10-0-0-6-7000.job.start:1|c',
      'cjs-worker-10-0-0-6-7000.job.done:1|c',
      'cjs-worker-10-0-0-6-7000.job.stop:1|c',
      'cjs-worker-10-0-0-6-7000.job:<ms>|ms',
      'cjs-worker-10-0-0-6-7000.job.start:1|c',
      'cjs-worker-10-0-0-6-7000.job.rejected:1|c',
      'cjs-worker-10-0-0-6-7000.job.stop:1|c',
    ]);
    expect(await linesOf(corpus('migrated'))).toEqual(legacy);
  });
});
