// The package as users run it: its build in dist/, made by `npm run build` (which `npm run bench` runs first).
// Why not `import 'tomograph'`: under tsx, tsconfig's paths map that name to src/, and tsx's transform adds a
// __name() call to every closure it compiles, a cost the published build does not have (it was 4–5 µs of each
// traced request in a profile of the HTTP benchmark).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

async function loadBuilt<T>(file: string): Promise<T> {
  const url = new URL(`../dist/${file}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new Error(`bench: dist/${file} is missing; run npm run build first`);
  return (await import(url.href)) as T;
}

export const tomograph = await loadBuilt<typeof import('tomograph')>('index.js');
export const tomographStatsd = await loadBuilt<typeof import('tomograph/statsd')>('statsd.js');
