// A fresh context boundary: what keeps concurrent flows (requests, Promise.all branches) from seeing each
// other's facade spans.
//
// `context.with(context.active(), fn)` is no boundary on Node 20: AsyncLocalStorage.run() skips when the store
// is the same object, so an `enterWith()` inside fn would leak out (pitfall 3 in the bridge notes). A new
// Context object always is one.
import { createContextKey, type Context } from '@opentelemetry/api';
import { activation } from './activation.js';

const BOUNDARY = createContextKey('tomograph.boundary');

/** `ctx` as a new Context object, so that running in it opens a new AsyncLocalStorage scope. */
export function freshContext(ctx: Context): Context {
  return ctx.setValue(BOUNDARY, {});
}

/** Runs `fn` in a fresh boundary over `ctx` (default: the active context); returns what `fn` returns. */
export function withBoundary<T>(fn: () => T, ctx?: Context): T {
  const act = activation();
  return act.run(freshContext(ctx ?? act.active()), fn);
}

/** Runs `fn` with `ctx` active, as a boundary: facade calls in `fn` never leak out of it. */
export function runInContext<T>(ctx: Context, fn: () => T): T {
  return activation().run(ctx, fn);
}
