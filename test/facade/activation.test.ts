// How start() and stop() make a context active without a callback: through API 1.10's public context.attach()
// where the API has it, else through the context manager's own attach() (context-async-hooks 2.11+), never through
// the manager's private AsyncLocalStorage when a public call exists. The token attach() returns is disposed by the
// stop() of the same flow, as context-async-hooks advises; on Node >= 25.9 that token is the RunScope of
// AsyncLocalStorage.withScope(), the path this file tests on purpose when the running Node has it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, trace } from '@opentelemetry/api';
import { afterEach, expect, it, vi } from 'vitest';
import { annotate, start, stop } from 'tomograph';
import { apiContextManager } from '../../src/otel-internals/index.js';
import { LINE } from '../support/sdk-line.js';
import { setupOtel, type OtelHarness } from '../support/otel.js';

let otel: OtelHarness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await otel?.teardown();
});

interface Token {
  dispose(): void;
}
interface Manager {
  attach(ctx: unknown): Token;
  _asyncLocalStorage: AsyncLocalStorage<unknown> & { withScope?: (store: unknown) => Token };
}

const manager = (): Manager => apiContextManager() as Manager;
const nodeHasWithScope = typeof (AsyncLocalStorage.prototype as { withScope?: unknown }).withScope === 'function';

it(`activates through ${LINE === '3.x' ? "the API's public context.attach()" : "the context manager's attach()"} once, and stop() disposes its token`, () => {
  otel = setupOtel();
  const publicAttach =
    LINE === '3.x' ? vi.spyOn(context as unknown as { attach(ctx: unknown): unknown }, 'attach') : undefined;
  const managerAttach = vi.spyOn(manager(), 'attach');
  start('svc', 'outer');
  const active = trace.getActiveSpan();
  const token = managerAttach.mock.results[0]?.value as Token;
  const dispose = vi.spyOn(token, 'dispose');
  stop('outer');
  // start() activates the span's context; stop() in the same flow undoes that activation through its token.
  expect(publicAttach?.mock.calls.length ?? managerAttach.mock.calls.length).toBe(1);
  expect(managerAttach).toHaveBeenCalledTimes(1);
  expect(dispose).toHaveBeenCalledTimes(1);
  expect(active).toBeDefined();
  expect(trace.getActiveSpan()).toBeUndefined();
});

it(
  nodeHasWithScope
    ? `on Node ${process.versions.node} (>= 25.9) activates through AsyncLocalStorage.withScope() and disposes each RunScope in stop()`
    : `on Node ${process.versions.node} (< 25.9) activates through enterWith() with the manager's own token, disposed in stop()`,
  async () => {
    otel = setupOtel();
    const storage = manager()._asyncLocalStorage;
    const tokens: Token[] = [];
    const disposed: Token[] = [];
    const record = (token: Token): Token => {
      tokens.push(token);
      const original = token.dispose.bind(token);
      token.dispose = () => {
        disposed.push(token);
        original();
      };
      return token;
    };
    let scopes = 0;
    if (nodeHasWithScope) {
      const withScope = storage.withScope!.bind(storage);
      vi.spyOn(storage as unknown as { withScope(store: unknown): Token }, 'withScope').mockImplementation((store) => {
        scopes++;
        return record(withScope(store));
      });
    } else {
      const attach = manager().attach.bind(manager());
      vi.spyOn(manager(), 'attach').mockImplementation((ctx) => record(attach(ctx)));
    }
    start('svc', 'outer');
    const outer = trace.getActiveSpan();
    start('svc', 'inner');
    await new Promise((resolve) => setTimeout(resolve, 1));
    annotate('after a timer');
    stop('inner');
    expect(trace.getActiveSpan()).toBe(outer);
    stop('outer');
    expect(tokens).toHaveLength(2);
    expect(disposed).toEqual([tokens[1], tokens[0]]);
    if (nodeHasWithScope) {
      expect(scopes).toBe(2);
      expect(tokens[0]!.constructor.name).toBe('RunScope');
    }
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(otel.span('inner').events.map((e) => e.name)).toEqual(['after a timer']);
  },
);

it('activates the context it chose when stop() runs in another flow than its start(): no token of another flow is disposed', async () => {
  otel = setupOtel();
  const attach = vi.spyOn(manager(), 'attach');
  start('svc', 'request');
  const helper = (async () => {
    start('svc', 'helper');
    await new Promise((resolve) => setTimeout(resolve, 2));
    stop('helper');
  })();
  // The helper's sync part ran in this flow: its span is active here, above ours, until its own stop().
  stop('request');
  await helper;
  expect(trace.getActiveSpan()).toBeUndefined();
  expect(otel.spans().map((s) => s.name)).toEqual(['request', 'helper']);
  expect(attach.mock.calls.length).toBeGreaterThanOrEqual(2);
});
