// The tomograph-migrate command on real files in a temporary folder: it writes rewrites (atomically, leaving no
// temporary file), lists what it leaves as path:line: reason, --dry-run prints a patch that `git apply` takes for
// every file shape (no final newline, CRLF, a byte-order mark) and writes nothing, --check fails when a file would
// change, and a missing path, a file that does not parse or a rewrite that fails is reported with exit 2 in every mode.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/migrate/cli.js';
import { loadTypeScript, type TypeScript } from '../../src/migrate/parse.js';

const ts = (await loadTypeScript()) as TypeScript;
const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

const LEGACY = `import { annotate, start, stop } from 'tomograph';

export function work(): void {
  start('svc', 'work', '10.0.0.1', 80);
  annotate('working');
  stop('work');
}

export function open(): void {
  start('svc', 'split', '10.0.0.1', 80);
}
`;
const BROKEN = "import { start } from 'tomograph';\nstart('svc', 'a'\n";

let folder: string;

function migrate(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(ts, argv, { out: (text) => (out += text), err: (text) => (err += text) }, folder);
  return { code, out, err };
}

const read = (path: string): string => readFileSync(join(folder, path), 'utf8');

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'tomograph-migrate-'));
  mkdirSync(join(folder, 'src', 'node_modules'), { recursive: true });
  writeFileSync(join(folder, 'src', 'work.ts'), LEGACY);
  writeFileSync(join(folder, 'src', 'broken.ts'), BROKEN);
  writeFileSync(join(folder, 'src', 'node_modules', 'dep.js'), LEGACY);
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('tomograph-migrate', () => {
  it('rewrites the files of a folder in place, lists what it left, skips node_modules and a file that does not parse, then exits 2', () => {
    const { code, out, err } = migrate(join(folder, 'src'));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(read('src/work.ts')).toContain("tracer.startActiveSpan('work', {");
    expect(read('src/broken.ts')).toBe(BROKEN);
    expect(read('src/node_modules/dep.js')).toBe(LEGACY);
    expect(err.split('\n')).toEqual([
      "src/broken.ts: does not parse: line 3: ')' expected.; skipped",
      "src/work.ts:16: start('split') has no stop('split') in the same block (a pair split across blocks or functions)",
      'tomograph-migrate: 2 files read, 1 rewritten, 1 places left as they are, 1 not parsed or not written',
      '',
    ]);
    // Written through a temporary file and a rename: none is left behind.
    expect(readdirSync(join(folder, 'src')).sort()).toEqual(['broken.ts', 'node_modules', 'work.ts']);
  });

  it('a second run changes nothing', () => {
    migrate(join(folder, 'src'));
    const once = read('src/work.ts');
    const { err } = migrate(join(folder, 'src', 'work.ts'));
    expect(read('src/work.ts')).toBe(once);
    expect(err).toContain('1 files read, 0 rewritten, 1 places left');
  });

  it('--dry-run writes nothing and prints a unified diff that applies to the same result', async () => {
    const { code, out } = migrate('--dry-run', join(folder, 'src', 'work.ts'));
    expect(code).toBe(0);
    expect(read('src/work.ts')).toBe(LEGACY);
    expect(out).toMatch(/^--- a\/src\/work\.ts\n\+\+\+ b\/src\/work\.ts\n@@ -1,/);
    writeFileSync(join(folder, 'change.patch'), out);
    await run('git', ['apply', 'change.patch'], { cwd: folder });
    const patched = read('src/work.ts');
    writeFileSync(join(folder, 'src', 'work.ts'), LEGACY);
    migrate(join(folder, 'src', 'work.ts'));
    expect(patched).toBe(read('src/work.ts'));
  });

  it('--check exits 1 while a file would change and 0 once migrated, writing nothing', () => {
    rmSync(join(folder, 'src', 'broken.ts'));
    expect(migrate('--check', join(folder, 'src')).code).toBe(1);
    expect(read('src/work.ts')).toBe(LEGACY);
    migrate(join(folder, 'src'));
    expect(migrate('--check', join(folder, 'src')).code).toBe(0);
  });

  it('--check and the normal run exit 2 for a missing path and for a file that uses tomograph and does not parse', () => {
    rmSync(join(folder, 'src', 'broken.ts'));
    migrate(join(folder, 'src'));
    for (const mode of [['--check'], [], ['--dry-run']]) {
      const missing = migrate(...mode, join(folder, 'src'), join(folder, 'nowhere.ts'));
      expect(missing.code).toBe(2);
      expect(missing.err).toContain('nowhere.ts: no such file or folder');
      writeFileSync(join(folder, 'src', 'broken.ts'), BROKEN);
      expect(migrate(...mode, join(folder, 'src')).code).toBe(2);
      rmSync(join(folder, 'src', 'broken.ts'));
    }
  });

  it('a file that does not name tomograph is never parsed, so valid code the compiler refuses is not reported', () => {
    rmSync(join(folder, 'src', 'broken.ts'));
    // Sloppy-mode JavaScript: an octal escape and a with statement.
    writeFileSync(join(folder, 'src', 'sloppy.js'), "var s = '\\101';\nwith (s) { length; }\n");
    const { code, err } = migrate('--check', join(folder, 'src', 'sloppy.js'));
    expect(code).toBe(0);
    expect(err).toBe('tomograph-migrate: 1 files read, 0 would be rewritten, 0 places left as they are\n');
  });

  for (const shape of [
    { name: 'no final newline', text: LEGACY.slice(0, -1) },
    { name: 'CRLF line endings', text: LEGACY.replace(/\n/g, '\r\n') },
    { name: 'a byte-order mark', text: `\uFEFF${LEGACY}` },
    {
      name: 'a byte-order mark, CRLF and no final newline',
      text: `\uFEFF${LEGACY.replace(/\n/g, '\r\n').slice(0, -2)}`,
    },
  ]) {
    it(`--dry-run prints a patch git apply takes for a file with ${shape.name}, giving what a run writes (which keeps the shape)`, async () => {
      rmSync(join(folder, 'src', 'broken.ts'));
      writeFileSync(join(folder, 'src', 'work.ts'), shape.text);
      const { code, out } = migrate('--dry-run', join(folder, 'src', 'work.ts'));
      expect(code).toBe(0);
      writeFileSync(join(folder, 'change.patch'), out);
      await run('git', ['apply', 'change.patch'], { cwd: folder });
      const patched = read('src/work.ts');
      writeFileSync(join(folder, 'src', 'work.ts'), shape.text);
      migrate(join(folder, 'src', 'work.ts'));
      const written = read('src/work.ts');
      expect(patched).toBe(written);
      expect(written.startsWith('\uFEFF')).toBe(shape.text.startsWith('\uFEFF'));
      expect(written.endsWith('\n')).toBe(shape.text.endsWith('\n'));
      expect(/(?<!\r)\n/.test(written)).toBe(!shape.text.includes('\r\n'));
    });
  }

  it('refuses an unknown option or no path with the usage and exit 2', () => {
    const unknown = migrate('--write', 'src');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^tomograph-migrate: unknown option --write\nusage: tomograph-migrate/);
    expect(migrate().code).toBe(2);
  });

  it('runs as a command (the bin entry) and sets its exit code', async () => {
    rmSync(join(folder, 'src', 'broken.ts'));
    const failed = await run(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/migrate/bin.ts'), '--check', join(folder, 'src')],
      { cwd: root },
    ).catch((error: { code: number; stderr: string }) => error);
    expect('code' in failed ? failed.code : 0).toBe(1);
    expect(failed.stderr).toContain('1 would be rewritten');
  });
});
