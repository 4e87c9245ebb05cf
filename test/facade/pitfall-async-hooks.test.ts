// Pitfall 4 of the bridge notes: whether a context entered after an `await` leaks into the caller depends on
// whether async hooks were on when the promises were made. Loading tomograph turns them on, so it never leaks.
// Each case runs in a fresh ESM process, where nothing else has enabled a hook yet.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

function run(fixture: string): { callerSeesLate: boolean } {
  const file = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(out) as { callerSeesLate: boolean };
}

describe('a start() after an await in an async function, never stopped', () => {
  it('leaks into the caller with OTel alone in a fresh process (the pitfall is real here)', () => {
    expect(run('late-start-raw.ts')).toEqual({ callerSeesLate: true });
  });

  it('does not leak into the caller once tomograph is loaded', () => {
    expect(run('late-start-facade.ts')).toEqual({ callerSeesLate: false });
  });
});
