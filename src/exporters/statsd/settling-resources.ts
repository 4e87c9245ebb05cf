// Resources whose async attributes have not settled yet. NodeSDK merges detector results whose values are promises
// (host.id, or a service.name from a detector of the app's own); reading `attributes` before they settle logs an
// SDK error per read and leaves the pending ones out, so a span ending early would be named `unknown_service`.
// The SDK's own processors wait for them before exporting; so does the statsd exporter, within a bound (pure).
import { isResourceSettling, resourceSettled, type SettlingResource } from '../../otel-internals/index.js';

/** The distinct resources of `spans` that still wait for async attributes (usually none, or the one of the SDK). */
export function unsettledResources(spans: readonly unknown[]): SettlingResource[] {
  let found: SettlingResource[] | undefined;
  let last: unknown;
  for (const span of spans) {
    try {
      // Anything may be handed in; a span that is not one is counted later, when it is read.
      const resource: unknown =
        span !== null && typeof span === 'object' ? (span as { resource?: unknown }).resource : undefined;
      // Spans of one provider share one resource: skip the repeats cheaply.
      if (resource === last || resource === null || typeof resource !== 'object') continue;
      last = resource;
      if (!isResourceSettling(resource)) continue;
      found ??= [];
      if (!found.includes(resource)) found.push(resource);
    } catch {
      // A resource whose getter throws is read later as it is (attributesOf copes).
    }
  }
  return found ?? [];
}

/**
 * Resolves true once every resource settled (a detector that failed counts as settled: the SDK leaves its
 * attribute out), or false when `withinMillis` passed first. The timer keeps no process alive.
 */
export function whenSettled(resources: readonly SettlingResource[], withinMillis: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), withinMillis);
    timer.unref?.();
    const waits = resources.map(resourceSettled);
    void Promise.all(waits).then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
