// How start() and stop() make a context active without a callback: through API 1.10's public context.attach()
// where the API has it, else through the context manager's own attach() (context-async-hooks 2.11+), never through
// the manager's private AsyncLocalStorage when a public call exists.
import { context, trace } from '@opentelemetry/api';
import { afterEach, expect, it, vi } from 'vitest';
import { start, stop } from 'tomograph';
import { LINE } from '../support/sdk-line.js';
import { setupOtel, type OtelHarness } from '../support/otel.js';

let otel: OtelHarness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await otel?.teardown();
});

it(`activates through ${LINE === 'modern' ? "the API's public context.attach()" : "the context manager's attach()"}`, () => {
  otel = setupOtel();
  const manager = (context as unknown as { _getContextManager(): { attach(ctx: unknown): unknown } })._getContextManager();
  const publicAttach = LINE === 'modern' ? vi.spyOn(context as unknown as { attach(ctx: unknown): unknown }, 'attach') : undefined;
  const managerAttach = vi.spyOn(manager, 'attach');
  start('svc', 'outer');
  const active = trace.getActiveSpan();
  stop('outer');
  // start() activates the span's context, stop() the one before it: two activations, each through the public call.
  expect(publicAttach?.mock.calls.length ?? managerAttach.mock.calls.length).toBe(2);
  expect(managerAttach).toHaveBeenCalledTimes(2);
  expect(active).toBeDefined();
  expect(trace.getActiveSpan()).toBeUndefined();
});
