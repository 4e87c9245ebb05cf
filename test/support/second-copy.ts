// A second copy of tomograph in the same process, as an application gets when it `import`s the ES-module build
// and a dependency `require`s the CommonJS one (or when two versions sit in the tree): the sources bundled into
// one CommonJS file, as the package's own build does, with every package left external so that both copies share
// the one @opentelemetry/api and SDK of the app. Written under .tmp/ (inside the checkout, so that require()
// finds its node_modules).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export type TomographCopy = typeof import('../../src/index.js');

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the CommonJS copy (once per process) and returns its path. */
export async function buildSecondCopy(): Promise<string> {
  const dir = `${root}.tmp/second-copy-${process.pid}`;
  mkdirSync(dir, { recursive: true });
  const outfile = `${dir}/index.cjs`;
  await build({
    entryPoints: [`${root}src/index.ts`],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    define: { 'import.meta.url': '__tomographImportMetaUrl' },
    banner: { js: "const __tomographImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  return outfile;
}

/** `require()`s the CommonJS copy at `path`. */
export function requireCopy(path: string): TomographCopy {
  return createRequire(import.meta.url)(path) as TomographCopy;
}
