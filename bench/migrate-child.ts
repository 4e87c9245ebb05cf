// The process bench/migrate.ts measures (bundled into plain JavaScript, as the command ships): `tomograph-migrate
// --check <folder>` as the command runs it, or, with --read-only, the baseline: the same walk and the same reads, no
// codemod. Prints
// its own CPU time (from process start, startup included) and peak resident memory as JSON.
import { readFileSync } from 'node:fs';
import { runCli } from '../src/migrate/cli.js';
import { sourceFiles } from '../src/migrate/files.js';
import { requireTypeScript, type TypeScript } from '../src/migrate/parse.js';

const [mode, folder] = process.argv.slice(2);
let files: number;
if (mode === '--read-only') {
  const found = sourceFiles([folder!]).files;
  let bytes = 0;
  for (const path of found) bytes += readFileSync(path, 'utf8').length;
  files = bytes >= 0 ? found.length : 0;
} else {
  let summary = '';
  // As the command does: the compiler is loaded once a file names tomograph.
  const code = runCli(() => requireTypeScript() as TypeScript, ['--check', folder!], {
    out: () => undefined,
    err: (text) => (summary += text),
  });
  if (code !== 0) throw new Error(`tomograph-migrate --check exited ${code}: ${summary}`);
  files = Number(/(\d+) files read/.exec(summary)?.[1] ?? 0);
}
const cpu = process.cpuUsage();
process.stdout.write(
  JSON.stringify({
    files,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
