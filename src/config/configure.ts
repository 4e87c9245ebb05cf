// configure(): an OpenTelemetry setup for users who have none: a tracer provider, a context manager that the
// facade can activate through, the W3C propagator, and the chosen backends. Users with their own OTel setup skip
// it: the facade works with whatever they registered.
import { context, diag, propagation, trace } from '@opentelemetry/api';
import type { ContextManager } from '@opentelemetry/api';
import { loadPeer, requirePeers, traceSdkPackage } from '../sdk-line/peers.js';
import { traceSdk } from '../sdk-line/trace-sdk.js';
import type { SdkResource, SdkTracerProvider } from '../sdk-line/types.js';
import { TomographError } from '../errors.js';
import { otelApiGlobals } from '../otel-internals/index.js';
import { setStrictMode } from '../facade/misuse.js';
import { createPropagator } from '../propagation/propagators.js';
import { createProcessors } from './backends.js';
import { resolveOptions, type ConfigureOptions } from './options.js';
import { configuredSampler } from './sampler.js';
import { settleWithin } from '../exporters/deadline.js';
import { samplerFromEnv, spanLimitsFromEnv } from './otel-env.js';

/** What configure() returns: the running setup. */
export interface Tomograph {
  /**
   * The tracer provider configure() registered globally: the app's own SDK's, `BasicTracerProvider` from
   * sdk-trace-base on the 2.x line, `TracerProvider` from sdk-trace on the 3.x line.
   */
  readonly provider: SdkTracerProvider;
  /** Exports every finished span now. Never rejects; a failure is reported through diag. */
  forceFlush(): Promise<void>;
  /**
   * Flushes and closes every backend within `shutdownTimeoutMillis`, then unregisters what configure()
   * registered, so that configure() may be called again. Never rejects; a failure is reported through diag.
   */
  shutdown(): Promise<void>;
}

function registered(api: 'trace' | 'context' | 'propagation'): boolean {
  return otelApiGlobals()?.[api] !== undefined;
}

let active: Tomograph | undefined;

function withinBound(work: Promise<unknown>, millis: number, what: string): Promise<void> {
  return settleWithin(work, millis, {
    onTimeout: () => diag.error(`tomograph: ${what} did not finish within ${millis} ms; gave up waiting`),
    onError: (error) => diag.error(`tomograph: ${what} failed`, error),
  });
}

/**
 * Sets up OpenTelemetry for the facade and sends finished spans to the chosen backends.
 *
 * @throws TomographError `INVALID_OPTION` for a bad option; `MISSING_PACKAGE` when the 'otlp' backend is chosen
 *   and its exporter package is not installed (the message names it); `ALREADY_CONFIGURED` when configure() already ran
 *   (shut it down first) or another OpenTelemetry tracer provider is registered globally (then use the facade
 *   without configure(), and add tomograph's exporters to your own setup).
 */
export function configure(options?: ConfigureOptions): Tomograph {
  const resolved = resolveOptions(options);
  if (active !== undefined) {
    throw new TomographError(
      'ALREADY_CONFIGURED',
      'configure() was already called; call shutdown() on its result first',
    );
  }
  if (registered('trace')) {
    throw new TomographError(
      'ALREADY_CONFIGURED',
      'an OpenTelemetry tracer provider is already registered globally; the facade uses it as it is: add ' +
        'StatsdSpanExporter or ZipkinExporter to your own setup instead of calling configure()',
    );
  }
  // Every SDK package this setup loads, checked at once: one error with one install command for all that is missing.
  const formats = resolved.propagation;
  requirePeers(
    [
      traceSdkPackage(),
      '@opentelemetry/resources',
      ...(formats.length > 0 ? ['@opentelemetry/core' as const] : []),
      ...(formats.some((format) => format !== 'w3c') ? ['@opentelemetry/propagator-b3' as const] : []),
      ...(registered('context') ? [] : ['@opentelemetry/context-async-hooks' as const]),
      ...(resolved.backends.includes('zipkin') ? ['@opentelemetry/exporter-zipkin' as const] : []),
    ],
    'configure()',
  );
  // Everything that can reject an option is built before anything is registered.
  const propagator = resolved.propagation.length > 0 ? createPropagator({ formats: resolved.propagation }) : undefined;
  // The app's own SDK classes, each package loaded (or named, when missing) before anything is registered.
  const why = 'configure()';
  const sdk = traceSdk(why);
  const { resourceFromAttributes } = loadPeer<{
    resourceFromAttributes(attributes: Record<string, string>): SdkResource;
  }>('@opentelemetry/resources', why);
  const ownsContext = !registered('context');
  const contextManager = ownsContext
    ? new (loadPeer<{ AsyncLocalStorageContextManager: new () => ContextManager }>(
        '@opentelemetry/context-async-hooks',
        why,
      ).AsyncLocalStorageContextManager)()
    : undefined;
  // Bad OTEL_* values throw here, before any exporter opens a socket.
  const sampler = samplerFromEnv(process.env, sdk.samplers);
  const countedSampler = configuredSampler(sdk.samplers, sampler, resolved.backends.includes('statsd'));
  const spanLimits = spanLimitsFromEnv(process.env);
  const provider = sdk.createProvider({
    resource: resourceFromAttributes({ 'service.name': resolved.serviceName }),
    spanProcessors: createProcessors(resolved, sdk),
    spanLimits,
    // OTEL_TRACES_SAMPLER as the SDK reads it; with statsd, what it does not sample is still recorded and counted.
    ...(countedSampler === undefined ? {} : { sampler: countedSampler }),
  });
  // Registered by hand, the SDK 3 way (it has no provider.register()), and the same on the 2.x line.
  trace.setGlobalTracerProvider(provider);
  // An AsyncLocalStorage context manager the user registered already serves the facade as well as ours would.
  if (contextManager !== undefined) context.setGlobalContextManager(contextManager.enable());
  const ownsPropagation = propagator !== undefined && !registered('propagation');
  if (ownsPropagation) {
    propagation.setGlobalPropagator(propagator);
  }
  // Only a strict mode configure() turned on is its to turn off; setStrictMode() calls stay the user's.
  if (resolved.strict) setStrictMode(true);

  let shutdownPromise: Promise<void> | undefined;
  const handle: Tomograph = {
    provider,
    forceFlush: () => withinBound(provider.forceFlush(), resolved.shutdownTimeoutMillis, 'forceFlush()'),
    shutdown: () => {
      shutdownPromise ??= withinBound(provider.shutdown(), resolved.shutdownTimeoutMillis, 'shutdown()').then(() => {
        trace.disable();
        if (ownsContext) context.disable();
        if (ownsPropagation) propagation.disable();
        if (resolved.strict) setStrictMode(false);
        if (active === handle) active = undefined;
      });
      return shutdownPromise;
    },
  };
  active = handle;
  return handle;
}
