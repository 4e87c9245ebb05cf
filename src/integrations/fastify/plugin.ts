// Tracing every request of a Fastify app (4 and 5): a plugin whose hooks open the request's server span and keep
// the request inside it. Fastify is read by shape only, so that importing this never loads it.
//
// Why hooks called back, not awaited: a callback continues the request where it is called, a promise where it was
// awaited. Fastify resumes the lifecycle from the promise of an async hook, in the context the hook was called in,
// so a hook that awaits the Express-style middleware leaves the span behind (an empty request span; the handler's
// spans start new traces). The onRequest hook here calls `done()` inside the request's context instead.
// A hook of the app's that calls `done()` from a callback that lost the context (a pool or queue that runs callbacks
// from its own timer or socket) would take the rest of the request out of it: the preValidation hook and the wrapped
// route handler re-enter it. (Fastify's own body parsing keeps the context: it binds the parser to the request.)
import { diag } from '@opentelemetry/api';
import { contain } from '../../facade/misuse.js';
import { resolveHttpServerTracingOptions, type HttpServerTracingOptions } from '../http/options.js';
import { isClientError, openRequestSpan, runInRequest, type RequestSpan } from '../http/request-span.js';
import type { IncomingRequestLike, ServerResponseLike } from '../http/server-span.js';

/** The parts of a Fastify request the plugin reads. */
interface FastifyRequestLike {
  raw: IncomingRequestLike;
}

/** The parts of a Fastify reply the plugin reads. */
interface FastifyReplyLike {
  raw: ServerResponseLike;
}

type Done = (error?: Error) => void;

/** The parts of a Fastify instance the plugin uses (Fastify 4 and 5 have them all). */
interface FastifyInstanceLike {
  addHook(
    name: 'onRequest' | 'preValidation',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void,
  ): unknown;
  addHook(
    name: 'onError',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike, error: unknown, done: Done) => void,
  ): unknown;
  addHook(name: 'onRoute', hook: (route: { handler?: unknown }) => void): unknown;
  hasPlugin?(name: string): boolean;
}

/**
 * A Fastify plugin: pass it to `app.register()`. Typed loosely on purpose (Fastify 4 and 5 type their instances
 * differently, and a user's app need not have Fastify's types for tomograph's).
 */
export interface FastifyTracingPlugin {
  (instance: unknown, options: unknown, done: (error?: Error) => void): void;
  readonly [key: symbol]: unknown;
}

/** The plugin name Fastify knows it by (`app.hasPlugin('tomograph')`). */
const PLUGIN_NAME = 'tomograph';
const OWNER = "tomograph/fastify's plugin";
// Route handlers already wrapped (Fastify builds a HEAD route from a GET route's options).
const WRAPPED = Symbol('tomograph.fastify.wrapped');

// The request span of each traced Fastify request, on the request itself under a symbol of this module: a WeakMap
// entry per request made the garbage collector's work grow with the request rate (ephemerons), and the request
// keeps its span no longer than it lives.
const REQUEST_SPAN = Symbol('tomograph.fastify.requestSpan');

function requestSpanOf(value: object): RequestSpan | undefined {
  return (value as { [REQUEST_SPAN]?: RequestSpan })[REQUEST_SPAN];
}

let reportedOrder = false;

/**
 * @fastify/otel runs its handler span in its own request context: registered before this plugin, that context
 * does not hold the request span, so the handler's spans would be beside it instead of under it.
 */
function reportOtelFirst(): void {
  if (reportedOrder) return;
  reportedOrder = true;
  const message =
    "tomograph: @fastify/otel was registered before tomograph/fastify's plugin, so the handler's spans will not be " +
    "under tomograph's request span. Register tomograph's plugin first and @fastify/otel's plugin() after it " +
    '(not with registerOnInitialization).';
  diag.warn(message);
  process.emitWarning(message, { code: 'TOMOGRAPH_FASTIFY_PLUGIN_ORDER' });
}

/**
 * The first argument of a handler call that is a traced request (handlers are (request, reply) or (socket, request)).
 */
function tracedRequestIn(args: readonly unknown[]): RequestSpan | undefined {
  for (const arg of args) {
    const traced = typeof arg === 'object' && arg !== null ? requestSpanOf(arg) : undefined;
    if (traced !== undefined) return traced;
  }
  return undefined;
}

function wrapHandler(handler: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  if ((handler as { [WRAPPED]?: boolean })[WRAPPED] === true) return handler;
  const wrapped = function tracedHandler(this: unknown, ...args: unknown[]) {
    const traced = tracedRequestIn(args);
    return traced === undefined ? handler.apply(this, args) : runInRequest(traced, () => handler.apply(this, args));
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  // Fastify's logs and @fastify/otel's handler span name the handler by its function name.
  Object.defineProperty(wrapped, 'name', { value: handler.name });
  return wrapped;
}

/**
 * A Fastify plugin (Fastify 4 and 5) that traces each request as a server span, as `middleware()` does for
 * Express: the caller's trace continued from `traceparent` (or `X-Trace-Info`, and the Python header with
 * `legacyHeader`), the span ended with the response (5xx is ERROR), a thrown 5xx error recorded on it, and the
 * handler's facade, OpenTelemetry and SQL spans under it.
 *
 * `await app.register(fastifyTracing({ serviceName }))` before your routes and plugins: it is not encapsulated
 * (like a fastify-plugin plugin), so registered on the root it traces the whole app, and registered inside a
 * plugin it traces that plugin's routes only. Throws TomographError('INVALID_OPTION') for bad options.
 */
export function fastifyTracing(options: HttpServerTracingOptions): FastifyTracingPlugin {
  const resolved = resolveHttpServerTracingOptions(options);

  function onRequest(request: FastifyRequestLike, reply: FastifyReplyLike, done: Done): void {
    let traced: RequestSpan | undefined;
    try {
      // Registered twice (on the root and in a plugin): the outer registration traces the request.
      if (requestSpanOf(request) === undefined) {
        traced = openRequestSpan(resolved, OWNER, request.raw, reply.raw);
        Reflect.set(request, REQUEST_SPAN, traced);
      }
    } catch (error) {
      // A request tracing cannot read (a hostile object): it is served untraced.
      contain('fastifyTracing', error);
    }
    if (traced === undefined) done();
    else runInRequest(traced, () => done());
  }

  function preValidation(request: FastifyRequestLike, _reply: FastifyReplyLike, done: Done): void {
    const traced = requestSpanOf(request);
    if (traced === undefined) done();
    else runInRequest(traced, () => done());
  }

  function onError(request: FastifyRequestLike, _reply: FastifyReplyLike, error: unknown, done: Done): void {
    if (!isClientError(error)) requestSpanOf(request)?.responseSpan.fail(error);
    done();
  }

  function onRoute(route: { handler?: unknown }): void {
    if (typeof route.handler === 'function')
      route.handler = wrapHandler(route.handler as (...args: unknown[]) => unknown);
  }

  const plugin = function tomographFastifyPlugin(
    instance: unknown,
    _options: unknown,
    done: (error?: Error) => void,
  ): void {
    const app = instance as FastifyInstanceLike;
    if (app.hasPlugin?.('@fastify/otel') === true) reportOtelFirst();
    app.addHook('onRequest', onRequest);
    app.addHook('preValidation', preValidation);
    app.addHook('onError', onError);
    app.addHook('onRoute', onRoute);
    done();
  };
  // What fastify-plugin sets: hooks go to the instance that registers the plugin (not a child of it), the name
  // for hasPlugin() and errors, and the Fastify versions it works with.
  Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: PLUGIN_NAME,
    [Symbol.for('plugin-meta')]: { fastify: '4.x || 5.x', name: PLUGIN_NAME },
  });
  return plugin as FastifyTracingPlugin;
}
