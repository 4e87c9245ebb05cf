// A context captured inside facade spans (a timer, a listener) keeps little alive once those spans have stopped:
// a stopped start() frame lets go of its span, its frame and what was below it. Measured against plain
// OpenTelemetry's startActiveSpan at the same depth (10), with the same attributes, in one process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('keeps at most 1.5 times what plain OpenTelemetry keeps for a timer created 10 spans deep', async () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'test/facade/fixtures/captured-retention.ts'],
    {
      cwd: root,
      timeout: 120_000,
    },
  );
  const result = JSON.parse(stdout) as { facade: number; otel: number; timer: number };
  // Plain OpenTelemetry keeps the innermost (ended) span and its context; tomograph must not keep every level.
  expect(result.otel).toBeGreaterThan(0);
  expect(result.facade).toBeLessThanOrEqual(result.otel * 1.5);
}, 120_000);
