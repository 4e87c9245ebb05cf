// The packed tarball as the ecosystem's checkers see it: @arethetypeswrong/cli (types under every TypeScript module
// resolution, old `node10` included), publint (package.json against the files shipped), the tarball's size, and the
// `sideEffects` declaration bundlers trust. Every check walks package.json's "exports", so a new entry is checked
// as soon as it is exported. Needs dist/ (npm test builds it first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHILD_HANG_MILLIS, PACKED_TEST_MILLIS, packTarball, type PackedTarball } from '../support/packed.js';

vi.setConfig({ testTimeout: PACKED_TEST_MILLIS, hookTimeout: PACKED_TEST_MILLIS });

const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  sideEffects: string[];
  typesVersions?: Record<string, Record<string, string[]>>;
  bin?: Record<string, string>;
};
/** What a user installs must stay small; the check that keeps it so. */
const MAX_PACKED_BYTES = 250_000;

let scratch: string;
let tarball: string;
let packed: PackedTarball;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tomograph-checks-'));
  packed = packTarball(scratch);
  tarball = packed.path;
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const shipped = (): string[] => packed.files.map((file) => file.path);

describe('the packed tarball', () => {
  it(`is under ${MAX_PACKED_BYTES / 1000} kB packed, with no source maps and no declarations for the command`, () => {
    expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
    expect(shipped().filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(shipped().filter((path) => /^dist\/migrate\.d\./.test(path))).toEqual([]);
  });

  it('has types for every export under node10, node16 (CJS and ESM) and bundler resolution, as attw reports', () => {
    const attw = createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json');
    const cli = join(attw, '..', JSON.parse(readFileSync(attw, 'utf8')).bin.attw as string);
    let output: string;
    try {
      output = execFileSync(process.execPath, [cli, '--format', 'json', tarball], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        timeout: CHILD_HANG_MILLIS,
      });
    } catch (error) {
      // attw exits 1 when it finds a problem; its JSON still says which.
      output = (error as { stdout: string }).stdout;
    }
    const report = JSON.parse(output) as {
      problems?: Record<string, unknown>;
      analysis: {
        problems: unknown[];
        entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>;
      };
    };
    expect(report.analysis.problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(Object.keys(manifest.exports).sort());
    for (const [subpath, entry] of Object.entries(report.analysis.entrypoints)) {
      if (subpath === './package.json') continue;
      for (const kind of ['node10', 'node16-cjs', 'node16-esm', 'bundler']) {
        expect(entry.resolutions[kind]?.resolution?.fileName, `${subpath} under ${kind}`).toMatch(/\.d\.c?ts$/);
      }
    }
  });

  it('gives every subpath export a typesVersions entry, which is what node10 resolution reads', () => {
    const mapped = manifest.typesVersions?.['*'] ?? {};
    for (const subpath of Object.keys(manifest.exports)) {
      if (subpath === '.' || subpath === './package.json') continue;
      expect(mapped[subpath.slice(2)], `typesVersions["*"]["${subpath.slice(2)}"]`).toEqual([
        `./dist/${subpath.slice(2)}.d.cts`,
      ]);
    }
  });

  it('passes publint with no error, warning or suggestion', async () => {
    // The unpacked tarball is exactly what is published, so publint reads it without packing again.
    const unpacked = join(scratch, 'package');
    execFileSync('tar', ['-xzf', tarball, '-C', scratch]);
    const { messages, pkg } = await publint({ pkgDir: unpacked, pack: false, strict: true });
    expect(messages.map((message) => formatMessage(message, pkg, { color: false }))).toEqual([]);
  });

  it('declares as side effects exactly the shipped modules that act when loaded (and their CommonJS twins)', () => {
    // A module acts when loaded if its top level holds a statement other than imports, exports and declarations:
    // the facade's entry runs an AsyncLocalStorage once (turning Node's async hooks on), the command runs itself.
    // The ES-module build is read; each .js has a .cjs twin built from the same source.
    const acting = shipped()
      .filter((path) => path.endsWith('.js'))
      .filter((path) => {
        const source = ts.createSourceFile(
          path,
          readFileSync(join(root, path), 'utf8'),
          ts.ScriptTarget.Latest,
          false,
          ts.ScriptKind.JS,
        );
        return source.statements.some(
          (statement) =>
            !(
              ts.isImportDeclaration(statement) ||
              ts.isExportDeclaration(statement) ||
              ts.isExportAssignment(statement) ||
              ts.isFunctionDeclaration(statement) ||
              ts.isClassDeclaration(statement) ||
              ts.isVariableStatement(statement)
            ),
        );
      });
    // The facade's warm-up sits in a chunk the entries share (tsup names chunks by a hash, and the CommonJS chunks
    // are not named after the ES ones), so chunks are declared by pattern; entries by name.
    expect(acting.some((path) => path.startsWith('dist/chunk-'))).toBe(true);
    const declared: string[] = [...manifest.sideEffects];
    const matches = (entry: string, path: string) =>
      new RegExp(`^${entry.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(`./${path}`);
    const twin = (path: string) => path.replace(/\.js$/, '.cjs');
    // Every module that acts when loaded is declared, and so is its CommonJS twin (a chunk's by the pattern).
    for (const path of acting) {
      expect(
        declared.some((entry) => matches(entry, path)),
        path,
      ).toBe(true);
      if (!path.startsWith('dist/chunk-')) expect(declared, twin(path)).toContain(`./${twin(path)}`);
    }
    // Nothing else is: each declared name is a module that acts or its twin; each pattern covers shipped chunks.
    for (const entry of declared) {
      if (entry.includes('*'))
        expect(
          shipped().some((path) => matches(entry, path)),
          entry,
        ).toBe(true);
      else expect(acting.map((path) => [`./${path}`, `./${twin(path)}`]).flat(), entry).toContain(entry);
    }
  });
});
