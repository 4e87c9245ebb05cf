// The install checks (test/install): the packed tarball installed from the registry into a throwaway app of each
// OpenTelemetry line. They need the network and a Node 24 binary, so they run in .ci/run and `npm run test:install`
// rather than in every `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/install/**/*.test.ts'],
    pool: 'forks',
    // One line after the other: two npm installs at once would crowd the machine.
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: '.tmp/vitest-install-report.json' }]],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
