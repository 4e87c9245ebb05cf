// The reads of AsyncLocalStorageContextManager that src/otel-internals makes, against the context-async-hooks of
// this run's line (2.x or 3.x) and SDK 1.30's (kept as an alias package): the public-on-the-class attach() and the
// private _asyncLocalStorage the facade enters on managers that have no attach().
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AsyncLocalStorageContextManager as AsyncLocalStorageContextManager1 } from 'context-async-hooks-1';
import { afterEach, expect, it } from 'vitest';
import { managerAttach, managerStorage } from '../../src/otel-internals/index.js';
import { LINE } from '../support/sdk-line.js';

const moved = (read: string, version: string, what: string): string =>
  `otel-internals ${read}: ${what} in the installed @opentelemetry/context-async-hooks ${version}; update src/otel-internals/index.ts`;

const MANAGERS = [
  ['1.x', () => new AsyncLocalStorageContextManager1()],
  [LINE, () => new AsyncLocalStorageContextManager()],
] as const;

afterEach(() => context.disable());

it.each(MANAGERS)('managerAttach: the %s manager %s', (version, make) => {
  const manager = make();
  context.setGlobalContextManager(manager.enable() as never);
  const attach = managerAttach(manager);
  if (version === '1.x') {
    expect(attach, moved('managerAttach', version, 'SDK 1.x has attach() now')).toBeUndefined();
    return;
  }
  expect(attach, moved('managerAttach', version, 'attach() is gone')).toBeTypeOf('function');
  const key = Symbol('probe');
  const token = attach!(ROOT_CONTEXT.setValue(key, 'attached')) as { dispose?: () => void } | undefined;
  expect(context.active().getValue(key), moved('managerAttach', version, 'attach() does not activate')).toBe(
    'attached',
  );
  expect(token?.dispose, moved('managerAttach', version, 'attach() returns no token with dispose()')).toBeTypeOf(
    'function',
  );
  token!.dispose!();
  expect(context.active().getValue(key), moved('managerAttach', version, "the token's dispose() does not undo")).toBe(
    undefined,
  );
});

it.each(MANAGERS)(
  'managerStorage: the %s manager keeps its AsyncLocalStorage in _asyncLocalStorage',
  (version, make) => {
    const manager = make();
    context.setGlobalContextManager(manager.enable() as never);
    const storage = managerStorage(manager);
    expect(storage, moved('managerStorage', version, 'the private _asyncLocalStorage is gone')).toBeDefined();
    const key = Symbol('probe');
    context.with(ROOT_CONTEXT, () => {
      storage!.enterWith(ROOT_CONTEXT.setValue(key, 'entered'));
      expect(
        context.active().getValue(key),
        moved('managerStorage', version, 'entering _asyncLocalStorage does not set the active context'),
      ).toBe('entered');
    });
  },
);
