// Making a context active without a callback: what `start()` needs and OpenTelemetry's API (1.9) does not offer.
//
// API 1.10 has a public, experimental `context.attach()`; context-async-hooks 2.11+ has `attach()` on its manager
// (with API 1.9, which lacks the public call); older managers (SDK 1.x) only offer callback-scoped `with()`, and
// for those we reach the AsyncLocalStorage behind it and `enterWith()` the new context, which is what `attach()`
// does. In that order: public API first, private fields last. All of them leak into an async caller (pitfall 5);
// frame contexts (frame-context.ts) are what make that harmless. The tokens `attach()` returns are dropped: `stop()`
// re-activates a context of its own choosing. A manager we cannot activate through (none registered, or another
// kind) gets a private AsyncLocalStorage of ours: facade calls still nest correctly, but OTel-native code cannot
// see facade spans; `diag` says so once.
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, diag, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

interface EnterableStorage {
  enterWith(store: Context): void;
}

interface ContextManagerShape {
  _asyncLocalStorage?: EnterableStorage;
  attach?: (ctx: Context) => unknown;
}

/** How the facade reads and sets the active context under the current global context manager. */
interface Activation {
  readonly manager: unknown;
  active(): Context;
  activate(ctx: Context): void;
  run<T>(ctx: Context, fn: () => T): T;
}

const privateStorage = new AsyncLocalStorage<Context>();

// Async hooks must be on before the application creates its first promises: a context entered after an `await`
// in a process where no AsyncLocalStorage was ever used leaks into the caller (pitfall 4 in the bridge notes).
// Running any AsyncLocalStorage once turns on Node's shared hook for all of them.
privateStorage.run(ROOT_CONTEXT, () => undefined);

let current: Activation | undefined;
let reportedPrivate = false;

// Where @opentelemetry/api 1.x keeps its registered globals (its own `_global` key, stable across the 1.x line).
const OTEL_GLOBALS = Symbol.for('opentelemetry.js.api.1');

/**
 * The registered global context manager, or undefined when none is: API 1.10's default NoopContextManager has a
 * no-op `attach()`, which must not pass for a manager we can activate through.
 */
function globalManager(): unknown {
  const globals = (globalThis as Record<symbol, { context?: unknown } | undefined>)[OTEL_GLOBALS];
  if (globals?.context === undefined) return undefined;
  const api = context as unknown as { _getContextManager?: () => unknown };
  return typeof api._getContextManager === 'function' ? api._getContextManager() : undefined;
}

function activationFor(manager: unknown): Activation {
  const shape = manager as ContextManagerShape | undefined;
  if (shape && typeof shape.attach === 'function') {
    const publicAttach = (context as unknown as { attach?: (ctx: Context) => unknown }).attach;
    const attach = typeof publicAttach === 'function' ? publicAttach.bind(context) : shape.attach.bind(shape);
    return {
      manager,
      active: () => context.active(),
      activate: (ctx) => void attach(ctx),
      run: (ctx, fn) => context.with(ctx, fn),
    };
  }
  const storage = shape?._asyncLocalStorage;
  if (storage && typeof storage.enterWith === 'function') {
    return {
      manager,
      active: () => context.active(),
      activate: (ctx) => storage.enterWith(ctx),
      run: (ctx, fn) => context.with(ctx, fn),
    };
  }
  if (!reportedPrivate) {
    reportedPrivate = true;
    diag.warn(
      'tomograph: the global OpenTelemetry context manager cannot make a span active without a callback ' +
        '(none is registered, or it is not an AsyncLocalStorageContextManager); facade spans nest among ' +
        'themselves but OpenTelemetry-native code will not see them. Call configure() or register ' +
        'AsyncLocalStorageContextManager.',
    );
  }
  return {
    manager,
    active: () => privateStorage.getStore() ?? ROOT_CONTEXT,
    activate: (ctx) => privateStorage.enterWith(ctx),
    run: (ctx, fn) => privateStorage.run(ctx, fn),
  };
}

/** The activation for the context manager registered now; looked up again only when the manager changes. */
export function activation(): Activation {
  const manager = globalManager();
  if (current === undefined || current.manager !== manager) current = activationFor(manager);
  return current;
}

/** The context the facade works in: OTel's active context, or ours when OTel's cannot be set. */
export function activeContext(): Context {
  return activation().active();
}
