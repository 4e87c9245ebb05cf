// Builds the public entries ('tomograph', 'tomograph/statsd', 'tomograph/fastify', 'tomograph/koa') as ESM and CommonJS with declarations.
import { defineConfig } from 'tsup';

export default defineConfig({
  // migrate: the tomograph-migrate command (package.json "bin"), which loads its parser (typescript) lazily.
  entry: { index: 'src/index.ts', statsd: 'src/statsd.ts', fastify: 'src/fastify.ts', koa: 'src/koa.ts', migrate: 'src/migrate/bin.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
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
