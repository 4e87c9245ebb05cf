// examples/knex-sql.ts runs to completion as a user would run it, and prints what it traced.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

it('the knex example prints notes, a failure and an execute span, without the bound values, and exits 0', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/knex-sql.ts'], {
    cwd: root,
    timeout: 60_000,
  });

  // Two requests, each insert noted when sent and when answered; the duplicate's once, then its exception.
  expect(stdout.match(/· insert into `servers` \(`name`\) values \(\?\)/g)).toHaveLength(5);
  expect(stdout).toContain('· database exception UNIQUE constraint failed: servers.name');
  expect(stdout).toMatch(/novadb client +execute +\| *█+/);
  expect(stdout).toContain('db.query.text="select `name` from `servers`"');
  expect(stdout).not.toMatch(/alpha|beta/);
});
