// tomograph-migrate's command line: `[--dry-run] [--check] [--record-exceptions] <files or folders…>`. Reads each
// file, runs the pure codemod on it, then writes the result (atomically), prints a diff (--dry-run) or only says
// whether anything would change (--check, exit 1 if so). What it leaves is listed as `path:line: reason` on stderr.
// A path that does not exist, a file that uses tomograph and does not parse, and a rewrite that fails or cannot be
// written make the exit code 2 in every mode, after the other files are done.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { sourceFiles, writeAtomically } from './files.js';
import { migrateSource } from './migrate-source.js';
import type { TypeScript } from './parse.js';
import { unifiedDiff } from './unified-diff.js';

/** Where the command prints: stdout carries diffs only, so that `--dry-run > x.patch` is a patch. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `usage: tomograph-migrate [--dry-run] [--check] [--record-exceptions] <files or folders…>
  Rewrites tomograph's legacy calls (start/stop pairs, annotate, tag) to the OpenTelemetry API.
  --dry-run            print a unified diff and write nothing
  --check              write nothing; exit 1 when a file would change
  --record-exceptions  rewritten start/stop spans also record a throw (exception event, status ERROR) and end;
                       the facade's never did, so this changes what is sent (one more ….exception counter)
  Exit 2 when a path is missing, a file does not parse, or a rewrite fails or cannot be written.
`;

interface Options {
  dryRun: boolean;
  check: boolean;
  recordExceptions: boolean;
  paths: string[];
}

function parseArguments(argv: readonly string[]): Options | { error: string } {
  const options: Options = { dryRun: false, check: false, recordExceptions: false, paths: [] };
  let flags = true;
  for (const argument of argv) {
    if (flags && argument === '--') flags = false;
    else if (flags && argument === '--dry-run') options.dryRun = true;
    else if (flags && argument === '--check') options.check = true;
    else if (flags && argument === '--record-exceptions') options.recordExceptions = true;
    else if (flags && argument.startsWith('-'))
      return { error: argument === '--help' || argument === '-h' ? '' : `unknown option ${argument}` };
    else options.paths.push(argument);
  }
  if (options.paths.length === 0) return { error: 'no files or folders given' };
  return options;
}

/** The compiler, or a function that loads it (or says why it cannot) when a file first needs it. */
export type TypeScriptSource = TypeScript | (() => TypeScript | { error: string });

/** Runs the command; returns the exit code (0 done, 1 --check found changes, 2 bad usage or a file not done). */
export function runCli(
  typescript: TypeScriptSource,
  argv: readonly string[],
  terminal: Terminal,
  cwd = process.cwd(),
): number {
  const options = parseArguments(argv);
  if ('error' in options) {
    terminal.err(options.error === '' ? USAGE : `tomograph-migrate: ${options.error}\n${USAGE}`);
    return options.error === '' ? 0 : 2;
  }
  const { files, missing } = sourceFiles(options.paths);
  for (const path of missing) terminal.err(`${path}: no such file or folder\n`);
  let changed = 0;
  let left = 0;
  let failed = 0;
  let ts: TypeScript | undefined = typeof typescript === 'function' ? undefined : typescript;
  for (const path of files) {
    const shown = relative(cwd, path) || path;
    const before = readFileSync(path, 'utf8');
    // The text check migrateSource makes first, made here too, so that the compiler is loaded for a file that may use
    // it only.
    if (!before.includes('tomograph')) continue;
    if (ts === undefined) {
      const loaded = (typescript as () => TypeScript | { error: string })();
      if ('error' in loaded) {
        terminal.err(loaded.error);
        return 2;
      }
      ts = loaded;
    }
    const result = migrateSource(ts, path, before, { recordExceptions: options.recordExceptions });
    if (!result.ok) {
      failed += 1;
      terminal.err(`${shown}: ${result.error}; skipped\n`);
      continue;
    }
    for (const report of result.reports) terminal.err(`${shown}:${report.line}: ${report.reason}\n`);
    left += result.reports.length;
    if (!result.changed) continue;
    if (options.dryRun) terminal.out(unifiedDiff(shown, before, result.text));
    else if (!options.check) {
      try {
        writeAtomically(path, result.text);
      } catch (error) {
        // The rename never happened: the file is as it was. The other files are still worth doing.
        failed += 1;
        terminal.err(`${shown}: could not be written (${(error as Error).message}); left unchanged\n`);
        continue;
      }
    }
    changed += 1;
  }
  const verb = options.dryRun || options.check ? 'would be rewritten' : 'rewritten';
  terminal.err(
    `tomograph-migrate: ${files.length} files read, ${changed} ${verb}, ${left} places left as they are${failed > 0 ? `, ${failed} not parsed or not written` : ''}\n`,
  );
  if (failed > 0 || missing.length > 0) return 2;
  return options.check && changed > 0 ? 1 : 0;
}
