// The HTTP examples run to completion on their own (no external server) and exit 0.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('examples', () => {
  it.each([
    ['examples/http-client-server.ts', ['test server  server response', 'test client  client request', 'this is an annotation', 'server answered: ok']],
    ['examples/express-app.ts', ['GET /items/1 -> 200', 'GET /broken -> 500', 'shop db     select item', 'ERROR']],
  ])('%s runs and exits 0', (file, expected) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8', timeout: 20_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    for (const text of expected) expect(run.stdout).toContain(text);
  });
});
