// The differential test: every case of the corpus (differential/cases.ts) is written to a folder, migrated there by
// the tomograph-migrate command, and run before and after in a process of its own (differential/harness.ts: an
// SDK provider whose spans go to the StatsdSpanExporter, read back from a UDP socket, and to an in-memory
// exporter). Both runs must record the same statsd lines (timer values aside) and the same spans (names, parents,
// attributes, events, status); a case the codemod reports must be left byte for byte. Each run is one script
// that esbuild bundles from the harness, the case and tomograph's sources (a plain `node` start per run, no
// TypeScript loader), with the case's own tsconfig (legacy decorators need theirs).
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/migrate/cli.js';
import { migrateSource } from '../../src/migrate/migrate-source.js';
import { loadTypeScript, type TypeScript } from '../../src/migrate/parse.js';
import { CASES, type DifferentialCase } from './differential/cases.js';
import type { Recorded } from './differential/harness.js';

const ts = (await loadTypeScript()) as TypeScript;
const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const harness = join(root, 'test/migrate/differential/harness.ts');

// Inside the project, so that 'tomograph' and the OTel packages resolve for the cases as for the project's code.
mkdirSync(join(root, '.tmp'), { recursive: true });
const folder = mkdtempSync(join(root, '.tmp', 'differential-'));
const legacyFolder = join(folder, 'legacy');
const migratedFolder = join(folder, 'migrated');
const recorded = new Map<string, { legacy: Recorded; migrated: Recorded }>();
let reports: string[] = [];
const THROWS = CASES.find((c) => c.file === 'throws.ts')!;
let withExceptions: Recorded;

/** Bundles the harness with each case file of `side` into `<folder>/<side>-bundles/<case>.mjs`. */
async function bundle(side: string, only: readonly DifferentialCase[] = CASES): Promise<void> {
  const groups = new Map<string | undefined, DifferentialCase[]>();
  for (const c of only) groups.set(c.tsconfig, [...(groups.get(c.tsconfig) ?? []), c]);
  for (const [tsconfig, cases] of groups) {
    const entries = cases.map((c) => {
      const entry = join(folder, `${side}-entries`, `${c.file}.entry.ts`);
      mkdirSync(join(folder, `${side}-entries`), { recursive: true });
      writeFileSync(
        entry,
        `import { runCase } from ${JSON.stringify(harness)};\nawait runCase(() => import(${JSON.stringify(join(folder, side, c.file))}));\n`,
      );
      return { in: entry, out: c.file };
    });
    await build({
      entryPoints: entries,
      outdir: join(folder, `${side}-bundles`),
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      alias: { 'tomograph/statsd': join(root, 'src/statsd.ts'), tomograph: join(root, 'src/index.ts') },
      tsconfig: join(root, tsconfig ?? 'tsconfig.json'),
      logLevel: 'silent',
      // A CommonJS case's require() of a package: the bundle is ESM.
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    });
  }
}

async function record(side: string, c: DifferentialCase): Promise<Recorded> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TOMOGRAPH_BACKENDS: '',
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: '',
    TOMOGRAPH_STATSD_HOST: '',
  };
  const { stdout } = await run(process.execPath, [join(folder, `${side}-bundles`, `${c.file}.mjs`)], {
    cwd: root,
    timeout: 60_000,
    env,
  });
  return JSON.parse(stdout) as Recorded;
}

/** Runs `jobs` two at a time (the machine has two cores). */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

beforeAll(async () => {
  mkdirSync(legacyFolder);
  for (const c of CASES) writeFileSync(join(legacyFolder, c.file), c.source);
  cpSync(legacyFolder, migratedFolder, { recursive: true });
  let err = '';
  const code = runCli(ts, [migratedFolder], { out: () => undefined, err: (text) => (err += text) }, migratedFolder);
  expect(code, err).toBe(0);
  reports = err.split('\n').filter((line) => /^[^:]+:\d+: /.test(line));
  await bundle('legacy');
  await bundle('migrated');
  // The throwing case once more, migrated with --record-exceptions.
  mkdirSync(join(folder, 'recorded'));
  const rewritten = migrateSource(ts, THROWS.file, THROWS.source, { recordExceptions: true });
  if (!rewritten.ok) throw new Error(rewritten.error);
  writeFileSync(join(folder, 'recorded', THROWS.file), rewritten.text);
  await bundle('recorded', [THROWS]);
  withExceptions = await record('recorded', THROWS);
  await pool(
    CASES.map((c) => async () => {
      const [legacy, migrated] = [await record('legacy', c), await record('migrated', c)];
      recorded.set(c.file, { legacy, migrated });
    }),
  );
}, 600_000);

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('the differential corpus, before and after tomograph-migrate', () => {
  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it('with --record-exceptions, the span a throw leaves open ends with the exception and status ERROR: one more timer and counters', () => {
    const { legacy } = recorded.get(THROWS.file)!;
    expect(legacy.spans.some((span) => span.startsWith('fails '))).toBe(false);
    const fails = withExceptions.spans.filter((span) => span.startsWith('fails '));
    expect(fails).toHaveLength(1);
    expect(fails[0]).toMatch(
      /\[before the throw, exception\{"exception\.type":"Error","exception\.message":"boom"\}\] status=2$/,
    );
    // The service-endpoint part of the names holds this machine's host name: compared from the span name on.
    expect(
      withExceptions.lines
        .filter((line) => line.includes('.fails'))
        .map((line) => line.slice(line.indexOf('.fails') + 1)),
    ).toEqual([
      'fails:<ms>|ms',
      'fails.start:1|c',
      'fails.before-the-throw:1|c',
      'fails.exception:1|c',
      'fails.stop:1|c',
    ]);
    expect(withExceptions.lines.filter((line) => !line.includes('.fails'))).toEqual(legacy.lines);
  });

  it('every rewritten TypeScript case type-checks as its original did (the same errors, no new one)', () => {
    const typed = CASES.filter((c) => /\.(?:m?ts|tsx)$/.test(c.file) && c.tsconfig === undefined);
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    )!;
    const options = { ...config.options, noEmit: true, jsx: ts.JsxEmit.React, noUnusedLocals: false };
    const program = ts.createProgram(
      [...typed.map((c) => join(legacyFolder, c.file)), ...typed.map((c) => join(migratedFolder, c.file))],
      options,
    );
    const errors = (file: string): string[] =>
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(file))
        .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '))
        .sort();
    for (const c of typed) {
      const legacy = errors(join(legacyFolder, c.file));
      // tomograph and the OTel API resolve: the check sees their types.
      expect(
        legacy.filter((message) => message.startsWith('Cannot find module')),
        c.file,
      ).toEqual([]);
      expect(errors(join(migratedFolder, c.file)), c.file).toEqual(legacy);
    }
  }, 120_000);

  for (const c of CASES) {
    it(`${c.file}: ${c.behaviour}`, () => {
      const after = readFileSync(join(migratedFolder, c.file), 'utf8');
      const own = reports
        .filter((line) => line.startsWith(`${c.file}:`))
        .map((line) => line.replace(/^[^:]+:\d+: /, ''));
      expect(own).toHaveLength(c.reports.length);
      c.reports.forEach((fragment, index) => expect(own[index]).toContain(fragment));
      if (c.changed) expect(after).not.toBe(c.source);
      else expect(after).toBe(c.source);
      const { legacy, migrated } = recorded.get(c.file)!;
      expect(legacy.lines.length + legacy.spans.length).toBeGreaterThan(0);
      expect(migrated).toEqual(legacy);
    });
  }
});
