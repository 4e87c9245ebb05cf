// Builds the public entries ('tomograph', 'tomograph/statsd', 'tomograph/fastify', 'tomograph/koa') as ESM and
// CommonJS with declarations, and the tomograph-migrate command.
import { defineConfig } from 'tsup';

/** The package's import entries (package.json "exports"), each with declarations for both module systems. */
const libraryEntries = { index: 'src/index.ts', statsd: 'src/statsd.ts', fastify: 'src/fastify.ts', koa: 'src/koa.ts' };

export default defineConfig({
  // migrate: the tomograph-migrate command (package.json "bin"), which loads its parser (typescript) lazily. It is
  // run, never imported, so it gets no declarations.
  entry: { ...libraryEntries, migrate: 'src/migrate/bin.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: libraryEntries },
  // No source maps: the output is not minified and keeps the source's function names, so a stack trace through
  // tomograph names a line a user can open in node_modules/tomograph/dist. A map would re-point it at src/*.ts,
  // which the package does not ship; embedding the sources in the maps would double the tarball for that.
  sourcemap: false,
  clean: true,
  target: 'node20',
  platform: 'node',
  // One shared chunk per format: a class both entries export (StatsdSpanExporter, TomographError) exists once, so
  // `instanceof` holds across 'tomograph' and 'tomograph/statsd'.
  splitting: true,
  // import.meta.url in the CommonJS build: the SDK packages are loaded from beside the package (src/sdk-line/peers.ts).
  shims: true,
  treeshake: true,
});
