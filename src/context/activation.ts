// Making a context active without a callback: what `start()` needs and OpenTelemetry's API (1.9) does not offer.
//
// API 1.10 has a public, experimental `context.attach()`; context-async-hooks 2.11+ has `attach()` on its manager
// (with API 1.9, which lacks the public call); older managers (SDK 1.x) only offer callback-scoped `with()`, and
// for those we reach the AsyncLocalStorage behind it and `enterWith()` the new context, which is what `attach()`
// does. In that order: public API first, private fields last. `attach()` returns a token (on Node >= 25.9 with
// context-async-hooks 3.x, the RunScope of `AsyncLocalStorage.withScope()`): `start()` keeps it in its frame and
// the `stop()` that runs in the same flow, with that activation still the current one, disposes it, as the
// package advises; a `stop()` anywhere else activates the context it has chosen instead. All of these leak into
// an async caller (pitfall 5); frame contexts (frame-context.ts) are what make that harmless.
//
// A manager we cannot activate through (another kind, or none) gets a private AsyncLocalStorage of ours, over
// OTel's active context: facade spans still parent to the active native span, but native code cannot see facade
// spans. An API copy that cannot use the globals the application registered (another minor version) records
// nothing at all. Both are told once through `diag` and `process.emitWarning`, where a developer sees them.
import { context, trace, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import {
  apiAttach,
  apiContextManager,
  managerAttach,
  managerStorage,
  otelApiGlobals,
  type OtelApiGlobals,
} from '../otel-internals/index.js';
import { frameCore, isFacadeContext, topFrame, type ActivationToken } from './frame-context.js';
import { warnOnce } from './shared-core.js';

/** How the facade reads and sets the active context under the current global context manager. */
export interface Activation {
  readonly manager: unknown;
  active(): Context;
  /** Makes `ctx` active for the rest of this flow; the token, when the manager gives one, undoes it. */
  activate(ctx: Context): ActivationToken | undefined;
  run<T>(ctx: Context, fn: () => T): T;
}

const { privateStorage, warned } = frameCore;

// Async hooks must be on before the application creates its first promises: a context entered after an `await`
// in a process where no AsyncLocalStorage was ever used leaks into the caller (pitfall 4 in the bridge notes).
// Running any AsyncLocalStorage once turns on Node's shared hook for all of them.
privateStorage.run(ROOT_CONTEXT, () => undefined);

let current: Activation | undefined;

let seenContext: unknown;
let seenTrace: unknown;

function asToken(value: unknown): ActivationToken | undefined {
  return value !== null && typeof value === 'object' && typeof (value as ActivationToken).dispose === 'function'
    ? (value as ActivationToken)
    : undefined;
}

/** Says once when this copy of the API cannot use what the application registered (another minor version). */
function checkApiCopy(globals: OtelApiGlobals, manager: unknown): void {
  if (globals.context === seenContext && globals.trace === seenTrace) return;
  seenContext = globals.context;
  seenTrace = globals.trace;
  const contextMismatch = globals.context !== undefined && manager !== globals.context;
  const traceMismatch = globals.trace !== undefined && trace.getTracerProvider() !== globals.trace;
  if (!contextMismatch && !traceMismatch) return;
  warnOnce(
    warned,
    'TOMOGRAPH_API_MISMATCH',
    `the copy of @opentelemetry/api that tomograph loaded cannot use the ${[contextMismatch ? 'context manager' : '', traceMismatch ? 'tracer provider' : ''].filter(Boolean).join(' and ')} ` +
      `the application registered with @opentelemetry/api ${globals.version ?? '(unknown version)'}: facade spans record nothing. ` +
      'Make the application and tomograph share one @opentelemetry/api (npm ls @opentelemetry/api; npm dedupe).',
  );
}

/**
 * The registered global context manager as this API copy sees it, or undefined when none is (API 1.10's default
 * NoopContextManager has a no-op `attach()`, which must not pass for a manager we can activate through) or when
 * this copy cannot use the registered one.
 */
function globalManager(): unknown {
  const globals = otelApiGlobals();
  if (globals === undefined) return undefined;
  const manager = apiContextManager();
  checkApiCopy(globals, manager);
  return globals.context !== undefined && manager === globals.context ? manager : undefined;
}

function activationFor(manager: unknown): Activation {
  const ownAttach = managerAttach(manager);
  if (ownAttach !== undefined) {
    const attach = apiAttach() ?? ownAttach;
    return {
      manager,
      active: () => context.active(),
      activate: (ctx) => asToken(attach(ctx)),
      run: (ctx, fn) => context.with(ctx, fn),
    };
  }
  const storage = managerStorage(manager);
  if (storage !== undefined) {
    return {
      manager,
      active: () => context.active(),
      activate: (ctx) => void storage.enterWith(ctx),
      run: (ctx, fn) => context.with(ctx, fn),
    };
  }
  warnOnce(
    warned,
    'TOMOGRAPH_NO_CONTEXT_MANAGER',
    `the global OpenTelemetry context manager cannot make a span active without a callback (${manager === undefined ? 'none is registered' : 'it is not an AsyncLocalStorageContextManager'}); ` +
      'facade spans nest among themselves and under the active OpenTelemetry span, but OpenTelemetry-native code ' +
      'will not see them. Call configure() or register AsyncLocalStorageContextManager.',
  );
  return {
    manager,
    // Our storage only while a facade span is open in it, so that a span native code makes active shows through.
    active: () => {
      const own = privateStorage.getStore();
      return own !== undefined && topFrame(own) !== undefined ? own : context.active();
    },
    activate: (ctx) => void privateStorage.enterWith(isFacadeContext(ctx) ? ctx : (undefined as unknown as Context)),
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
