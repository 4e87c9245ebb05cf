#!/usr/bin/env node
// The `tomograph-migrate` command. The TypeScript compiler it parses with is an optional peer dependency, loaded
// here and only here, so that an application using tomograph at run time never loads a parser.
import { runCli } from './cli.js';
import { requireTypeScript } from './parse.js';

// TypeScript 5 or 6: the last lines whose package carries the compiler API (7 ships a native compiler instead).
const INSTALL_TYPESCRIPT = 'npm install --save-dev typescript@5';

const MISSING_TYPESCRIPT = `tomograph-migrate parses your files with the TypeScript compiler, which is not installed here.
Install it next to tomograph (it is only needed for the migration), then run the command again:
  ${INSTALL_TYPESCRIPT}
`;

const unsupportedTypeScript = (
  version: string,
): string => `tomograph-migrate parses your files with the TypeScript 5 or 6 compiler API; the typescript ${version} installed here has none
(TypeScript 7's package ships a native compiler without it). Install TypeScript 5 next to tomograph, then run the command again:
  ${INSTALL_TYPESCRIPT}
`;

async function main(): Promise<number> {
  // Loaded when the first file that names tomograph is read: a repository that has none never loads the compiler.
  const typescript = () => {
    const ts = requireTypeScript();
    if (ts === 'missing' || 'unsupported' in ts)
      return { error: ts === 'missing' ? MISSING_TYPESCRIPT : unsupportedTypeScript(ts.unsupported) };
    return ts;
  };
  return runCli(typescript, process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `tomograph-migrate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
