// The command as a user installs it: the packed tarball's "bin" runs tomograph-migrate from dist/, rewrites a
// legacy file; without typescript installed it says what to install and exits 2. (Needs the build, as npm test
// runs it.)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHILD_HANG_MILLIS, PACKED_TEST_MILLIS, packTarball } from '../support/packed.js';

vi.setConfig({ testTimeout: PACKED_TEST_MILLIS, hookTimeout: PACKED_TEST_MILLIS });

const root = resolve(import.meta.dirname, '../..');
let consumer: string;
let command: string;

/** A project with the packed tomograph and, unless `withTypeScript` is false, everything else it may load. */
function project(name: string, withTypeScript: boolean): string {
  const folder = join(consumer, name);
  const modules = join(folder, 'node_modules');
  mkdirSync(join(modules, 'tomograph'), { recursive: true });
  const tarball = readdirSync(consumer).find((file) => file.endsWith('.tgz'))!;
  execFileSync('tar', ['-xzf', join(consumer, tarball), '-C', join(modules, 'tomograph'), '--strip-components=1']);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'tomograph' || entry.startsWith('.') || (entry === 'typescript' && !withTypeScript)) continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  writeFileSync(
    join(folder, 'legacy.ts'),
    "import { start, stop } from 'tomograph';\n\nstart('svc', 'job');\nstop('job');\n",
  );
  return folder;
}

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'tomograph-migrate-packed-'));
  packTarball(consumer);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  command = manifest.bin['tomograph-migrate']!;
});

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the packed tomograph-migrate command', () => {
  it('is installed from dist/ and rewrites a legacy file', () => {
    const folder = project('with-typescript', true);
    const result = spawnSync(process.execPath, [join(folder, 'node_modules', 'tomograph', command), 'legacy.ts'], {
      cwd: folder,
      encoding: 'utf8',
      timeout: CHILD_HANG_MILLIS,
    });
    expect(result.stderr).toBe('tomograph-migrate: 1 files read, 1 rewritten, 0 places left as they are\n');
    expect(result.status).toBe(0);
    expect(readFileSync(join(folder, 'legacy.ts'), 'utf8')).toContain("tracer.startActiveSpan('job', {");
  });

  it('without typescript installed, says what to install, changes nothing and exits 2', () => {
    const folder = project('without-typescript', false);
    const result = spawnSync(process.execPath, [join(folder, 'node_modules', 'tomograph', command), 'legacy.ts'], {
      cwd: folder,
      encoding: 'utf8',
      timeout: CHILD_HANG_MILLIS,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('npm install --save-dev typescript@5');
    expect(readFileSync(join(folder, 'legacy.ts'), 'utf8')).toContain("start('svc', 'job');");
  });

  it('with a typescript package that has no compiler API (TypeScript 7), says which to install instead and exits 2', () => {
    const folder = project('with-typescript-7', false);
    // The shape of the typescript 7 package's main export: a version, no createSourceFile.
    const fake = join(folder, 'node_modules', 'typescript');
    mkdirSync(fake);
    writeFileSync(
      join(fake, 'package.json'),
      JSON.stringify({ name: 'typescript', version: '7.0.2', main: 'version.cjs' }),
    );
    writeFileSync(join(fake, 'version.cjs'), "module.exports = { version: '7.0.2' };\n");
    const result = spawnSync(process.execPath, [join(folder, 'node_modules', 'tomograph', command), 'legacy.ts'], {
      cwd: folder,
      encoding: 'utf8',
      timeout: CHILD_HANG_MILLIS,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the typescript 7.0.2 installed here has none');
    expect(result.stderr).toContain('npm install --save-dev typescript@5');
    expect(result.stderr).not.toContain('TypeError');
    expect(readFileSync(join(folder, 'legacy.ts'), 'utf8')).toContain("start('svc', 'job');");
  });
});
