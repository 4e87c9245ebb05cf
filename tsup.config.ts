// Builds the two public entries ('tomograph' and 'tomograph/statsd') as ESM and CommonJS with declarations.
import { defineConfig } from 'tsup';

export default defineConfig({
  // migrate: the tomograph-migrate command (package.json "bin"), which loads its parser (typescript) lazily.
  entry: { index: 'src/index.ts', statsd: 'src/statsd.ts', migrate: 'src/migrate/bin.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
});
