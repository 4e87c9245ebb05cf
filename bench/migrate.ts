// tomograph-migrate on a large repository none of whose files uses the facade (the usual case: a monorepo where a
// few services are migrated at a time): a synthetic tree of 17,600 TypeScript and JavaScript files is generated in
// a temporary folder, then `--check` runs over it in a process of its own. The figures: files per CPU-second of
// that process (startup, loading the compiler and the walk included) and its peak resident memory; the baseline
// is a process that walks and reads the same files and does nothing else. A file that does not name `tomograph`
// is never parsed, so the codemod should cost little more than reading it.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { BenchRow } from './table.js';

const FOLDERS = 176;
const FILES_PER_FOLDER = 100;
const exec = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** A file as repositories have them: imports, a class, functions, comments; some sloppy-mode JavaScript. */
function fileText(folder: number, index: number): { name: string; text: string } {
  const id = folder * FILES_PER_FOLDER + index;
  const kind = id % 4;
  const lines = [
    `// Module ${id}: generated for the codemod benchmark. It traces nothing.`,
    kind === 3 ? "var legacy = require('./legacy');" : `import { helper${id % 7} } from '../shared/helpers';`,
  ];
  for (let f = 0; f < 12; f++) {
    lines.push(
      `/** Computes part ${f} of record ${id}. */`,
      kind >= 2
        ? `function part${f}(record) {`
        : `export function part${f}(record: { id: number; values: number[] }): number {`,
      '  let total = 0;',
      '  for (const value of record.values) {',
      `    if (value > ${f}) total += value * ${id % 13};`,
      '  }',
      `  return total + record.id; // start and stop are words here, not calls`,
      '}',
    );
  }
  if (kind === 3)
    lines.push(
      "var octal = '\\101'; // sloppy mode: valid JavaScript the compiler refuses",
      'module.exports = { part0: part0 };',
    );
  const extension = ['ts', 'tsx', 'mjs', 'js'][kind]!;
  return { name: `module-${index}.${extension}`, text: `${lines.join('\n')}\n` };
}

async function measure(
  script: string,
  mode: string,
  folder: string,
): Promise<{ files: number; cpuSeconds: number; maxRssBytes: number }> {
  const { stdout } = await exec(process.execPath, [script, mode, folder], { cwd: root, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { files: number; cpuSeconds: number; maxRssBytes: number };
}

export async function run(): Promise<BenchRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'tomograph-migrate-bench-'));
  // Plain JavaScript, as dist/migrate.js runs: no TypeScript loader in the measured process. Written in the project
  // so that its packages (typescript) resolve from it.
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const script = join(root, '.tmp', `migrate-bench-${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, 'bench/migrate-child.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  try {
    for (let f = 0; f < FOLDERS; f++) {
      const sub = join(folder, `package-${f}`, 'src');
      mkdirSync(sub, { recursive: true });
      for (let i = 0; i < FILES_PER_FOLDER; i++) {
        const { name, text } = fileText(f, i);
        writeFileSync(join(sub, name), text);
      }
    }
    const read = await measure(script, '--read-only', folder);
    const migrate = await measure(script, '--check', folder);
    if (migrate.files !== FOLDERS * FILES_PER_FOLDER)
      throw new Error(`read ${migrate.files} files, made ${FOLDERS * FILES_PER_FOLDER}`);
    const rate = migrate.files / migrate.cpuSeconds;
    const readRate = read.files / read.cpuSeconds;
    return [
      {
        name: `tomograph-migrate --check, ${migrate.files.toLocaleString('en-US')} files, none uses tomograph`,
        baseline: 'walk and read only',
        subject: rate,
        base: readRate,
        unit: 'files/CPU-s',
        ratio: rate / readRate,
        note: 'whole process: startup, the walk, the reads',
      },
      {
        name: 'tomograph-migrate --check, peak resident memory',
        baseline: 'walk and read only',
        subject: migrate.maxRssBytes / 2 ** 20,
        base: read.maxRssBytes / 2 ** 20,
        unit: 'MB',
        ratio: migrate.maxRssBytes / read.maxRssBytes,
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
    rmSync(script, { force: true });
  }
}
