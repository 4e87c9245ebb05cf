// The first mistake of each kind is told where a developer sees it without a diag logger: once, as a process
// warning with a TOMOGRAPH_ code, on stderr; `--no-warnings` silences it, as it does Node's own.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { diag } from '@opentelemetry/api';
import { start, stop, tag } from 'tomograph';
import { DiagnosticsReporter } from '../../src/diagnostics/reporter.js';
import { captureDiag } from '../support/diag.js';
import { tomographWarnings } from '../support/process-warnings.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

async function app(nodeOptions: string[]): Promise<string> {
  const { stderr } = await run(
    process.execPath,
    [...nodeOptions, '--import', 'tsx', 'test/fixtures/misuse-warnings.ts'],
    {
      cwd: root,
      timeout: 120_000,
      env: { ...process.env, TOMOGRAPH_STATSD_HOST: '', NODE_OPTIONS: '' },
    },
  );
  return stderr;
}

describe('process warnings', () => {
  it("tell each kind of mistake once, with its code and the diag line's text, on stderr", async () => {
    const stderr = await app([]);
    const { codes, rest } = tomographWarnings(stderr);
    expect(codes.sort()).toEqual([
      'TOMOGRAPH_NO_ACTIVE_SPAN',
      'TOMOGRAPH_STATSD_SEND_ERROR',
      'TOMOGRAPH_STOP_UNKNOWN_NAME',
    ]);
    expect(rest).toBe('');
    expect(stderr).toContain(
      "[TOMOGRAPH_STOP_UNKNOWN_NAME] TomographWarning: stop('not open'): no open span has that name",
    );
    expect(stderr).toMatch(
      /\[TOMOGRAPH_STATSD_SEND_ERROR\] TomographWarning: statsd exporter: 1 error sending to statsd \(latest: .*no-such-host\.invalid/,
    );
    expect(stderr).toContain('set a diag logger');
  });

  it('are silenced by --no-warnings', async () => {
    expect(await app(['--no-warnings'])).toBe('');
  });
});

describe('in one process', () => {
  const warnings: { name: string; code?: string; message: string }[] = [];
  const listen = (warning: Error & { code?: string }) =>
    warnings.push({ name: warning.name, code: warning.code, message: warning.message });
  process.on('warning', listen);
  afterEach(() => diag.disable());

  it('a second mistake of a kind already told is only a diag line', async () => {
    const diagnostics = captureDiag();
    start('svc', 'outer');
    tag('', 1);
    tag('', 2);
    stop('outer');
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.code === 'TOMOGRAPH_INVALID_ARGUMENT')).toEqual([
      {
        name: 'TomographWarning',
        code: 'TOMOGRAPH_INVALID_ARGUMENT',
        message: "tag(): the key must be a non-empty string, got ''",
      },
    ]);
    expect(diagnostics.warnings('tag(): the key must be a non-empty string')).toHaveLength(2);
  });

  it('a reporter line starts with the prefix of every tomograph line and counts in the singular for one', () => {
    const diagnostics = captureDiag();
    const reporter = new DiagnosticsReporter<'sendErrors'>({
      component: 'statsd exporter',
      problems: { sendErrors: { one: 'error sending to statsd', many: 'errors sending to statsd' } },
      tallies: [],
    });
    reporter.problem('sendErrors', 1, 'ENOTFOUND');
    reporter.problem('sendErrors', 9, 'ENOTFOUND');
    expect(diagnostics.warnings()).toEqual([
      'tomograph: statsd exporter: 1 error sending to statsd (latest: ENOTFOUND)',
      'tomograph: statsd exporter: 10 errors sending to statsd (latest: ENOTFOUND)',
    ]);
    // Not a developer's mistake (no `warning` kind): diag only.
    expect(warnings.filter((w) => w.message.includes('ENOTFOUND'))).toEqual([]);
  });
});
