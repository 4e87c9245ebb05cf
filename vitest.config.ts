import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests and examples import the package by its public name, as a user would; it resolves to the sources here.
    alias: [
      { find: /^tomograph\/statsd$/, replacement: src('statsd.ts') },
      { find: /^tomograph\/fastify$/, replacement: src('fastify.ts') },
      { find: /^tomograph\/koa$/, replacement: src('koa.ts') },
      { find: /^tomograph$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The install checks need the registry and Node 24: .ci/run runs them (vitest.install.config.ts).
    exclude: ['test/install/**', '**/node_modules/**'],
    // Each file gets its own process: the facade and OTel keep global state (context manager, provider).
    pool: 'forks',
    isolate: true,
    // The JSON report lets .ci/run print the plain 'N passed, N failed' line CI reads.
    reporters: ['default', ['json', { outputFile: '.tmp/vitest-report.json' }]],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
