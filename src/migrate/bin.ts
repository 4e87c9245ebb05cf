#!/usr/bin/env node
// The `tomograph-migrate` command. The TypeScript compiler it parses with is an optional peer dependency, loaded
// here and only here, so that an application using tomograph at run time never loads a parser.
import { runCli } from './cli.js';
import { loadTypeScript } from './parse.js';

const MISSING_TYPESCRIPT = `tomograph-migrate parses your files with the TypeScript compiler, which is not installed here.
Install it next to tomograph (it is only needed for the migration), then run the command again:
  npm install --save-dev typescript
`;

async function main(): Promise<number> {
  const ts = await loadTypeScript();
  if (ts === undefined) {
    process.stderr.write(MISSING_TYPESCRIPT);
    return 2;
  }
  return runCli(ts, process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tomograph-migrate: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
