// Whether each callback Node runs (a timer tick, an event listener call) starts from the context it was
// scheduled in, whatever an earlier call entered. AsyncLocalStorage is built on AsyncContextFrame from Node 24 on
// (and on Node 22 with --experimental-async-context-frame): there, a span start() makes active inside one timer
// tick or one 'data' listener call is gone by the next one. On Node 20 and 22 (async hooks), what one call
// entered stays on the timer or socket for its later calls. Facade diagnostics name the difference exactly.

function flagged(flag: string): boolean {
  return process.execArgv.includes(flag) || (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes(flag);
}

/** True when each callback runs in its own context (AsyncContextFrame). */
export const callbacksHaveOwnContext: boolean = (() => {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 24) return !flagged('--no-async-context-frame');
  return major === 22 && flagged('--experimental-async-context-frame');
})();
