// The HTTP examples run to completion on their own (no external server) and exit 0.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('examples', () => {
  it.each([
    // The server's span is under the client's in one picture: the log backend waits for the trace's root.
    [
      'examples/http-client-server.ts',
      [
        '· 2 spans · 2 services',
        'test client  client request',
        'test server    server response',
        'this is an annotation',
        'server answered: ok',
      ],
    ],
    [
      'examples/express-app.ts',
      ['GET /items/1 -> 200', 'GET /broken -> 500', '· 6 spans · 3 services', 'shop db       select item', 'ERROR'],
    ],
  ])('%s runs and exits 0', (file, expected) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    for (const text of expected) expect(run.stdout).toContain(text);
  });
});
