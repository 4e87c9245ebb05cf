// Pitfall 4 of the bridge notes: whether a context entered after an `await` leaks into the caller depends on
// whether async hooks were on when the promises were made. Loading tomograph turns them on, so it never leaks.
// Each case runs in a fresh ESM process, where nothing else has enabled a hook yet.
// The pitfall is Node's, and per Node: from Node 24 AsyncLocalStorage is built on AsyncContextFrame, where a
// context entered after an `await` never reaches the caller, hooks or not. So the control case expects the leak
// only on a Node without AsyncContextFrame; tomograph's case expects none on every Node.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

function run(fixture: string): { callerSeesLate: boolean } {
  const file = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(out) as { callerSeesLate: boolean };
}

const nodeMajor = Number(process.versions.node.split('.')[0]);
// Node 24 made AsyncContextFrame the default (22 had it behind --experimental-async-context-frame).
const asyncContextFrame = nodeMajor >= 24 && !process.execArgv.includes('--no-async-context-frame');

describe(`a start() after an await in an async function, never stopped, on Node ${nodeMajor}`, () => {
  it(
    asyncContextFrame
      ? 'does not leak into the caller with OTel alone in a fresh process (AsyncContextFrame: the pitfall is gone)'
      : 'leaks into the caller with OTel alone in a fresh process (no AsyncContextFrame: the pitfall is real here)',
    () => {
      expect(run('late-start-raw.ts')).toEqual({ callerSeesLate: !asyncContextFrame });
    },
  );

  it('does not leak into the caller once tomograph is loaded', () => {
    expect(run('late-start-facade.ts')).toEqual({ callerSeesLate: false });
  });
});
