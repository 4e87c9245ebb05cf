// Tracing every request of a server: an Express/Connect middleware and a wrapper for a plain
// `http.createServer` request listener. Each request runs in its own context holding its server span (a fresh
// boundary, so facade spans never leak across concurrent or keep-alive requests) and the span ends with the
// response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { activeContext } from '../../context/activation.js';
import { runInContext } from '../../context/boundary.js';
import { contain } from '../../facade/misuse.js';
import { openSpan } from '../../facade/span-stack.js';
import { resolveHttpServerTracingOptions, type HttpServerTracingOptions, type ResolvedHttpServerTracingOptions } from './options.js';
import { enclosingSpanIds } from './enclosing-spans.js';
import { requestParent } from './request-parent.js';
import { endWithResponse, serverSpanSpec, type IncomingRequestLike, type ResponseSpan, type ServerResponseLike } from './server-span.js';

// The span of each traced request, for errorMiddleware; weak, so a finished request is not kept.
const responseSpans = new WeakMap<object, ResponseSpan>();

function openRequest(options: ResolvedHttpServerTracingOptions, owner: string, request: IncomingRequestLike, response: ServerResponseLike) {
  const parent = requestParent(request.headers ?? {}, { legacyHeader: options.legacyHeader });
  const pinnedOver = enclosingSpanIds(activeContext());
  const opened = openSpan(serverSpanSpec(options.serviceName, options.name, request), parent, owner, pinnedOver === undefined ? {} : { pinnedOver });
  const responseSpan = endWithResponse(opened.frame, response);
  responseSpans.set(request, responseSpan);
  return { context: opened.context, responseSpan };
}

/**
 * Runs `handler`, telling the span about a throw or a rejected promise. What it throws is rethrown; a promise
 * is replaced by one that settles the same way, so a rejection nobody handles stays unhandled, as it was.
 */
function runReporting<R>(responseSpan: ResponseSpan, handler: () => R): R {
  let result: R;
  try {
    result = handler();
  } catch (error) {
    responseSpan.fail(error);
    throw error;
  }
  if (!(result instanceof Promise)) return result;
  return result.then(undefined, (error: unknown) => {
    responseSpan.fail(error);
    throw error;
  }) as R;
}

/**
 * An Express/Connect middleware that traces each request as a server span (the Python `Middleware` filter).
 * Put it first. Throws TomographError('INVALID_OPTION') for bad options.
 */
export function middleware(options: HttpServerTracingOptions): (request: IncomingRequestLike, response: ServerResponseLike, next: (error?: unknown) => void) => void {
  const resolved = resolveHttpServerTracingOptions(options);
  return function tomographMiddleware(request, response, next) {
    let opened: ReturnType<typeof openRequest>;
    try {
      opened = openRequest(resolved, 'middleware()', request, response);
    } catch (error) {
      // A request tracing cannot read (a hostile object): it is served untraced.
      contain('middleware', error);
      next();
      return;
    }
    // Express and Connect catch what handlers throw and answer 500, which marks the span ERROR.
    runInContext(opened.context, () => runReporting(opened.responseSpan, () => next()));
  };
}

/**
 * An Express/Connect error middleware that records the error a handler threw (or passed to `next`) on the
 * request's span, with its message, then passes it on. Put it after your routes and before your own error
 * handlers; without it a thrown error still marks the span ERROR through the 500 answer, as 'HTTP 500'.
 */
export function errorMiddleware(): (error: unknown, request: object, response: unknown, next: (error?: unknown) => void) => void {
  return function tomographErrorMiddleware(error, request, _response, next) {
    responseSpans.get(request)?.fail(error);
    next(error);
  };
}

/**
 * Wraps a plain `http.createServer` request listener so that each request is traced as a server span.
 * A throw or a rejected promise from `listener` marks the span ERROR and is passed on unchanged.
 * Throws TomographError('INVALID_OPTION') for bad options.
 */
export function traceRequestListener<Req extends IncomingRequestLike = IncomingMessage, Res extends ServerResponseLike = ServerResponse, R = void>(
  options: HttpServerTracingOptions,
  listener: (request: Req, response: Res) => R,
): (request: Req, response: Res) => R {
  const resolved = resolveHttpServerTracingOptions(options);
  return function tracedRequestListener(request, response) {
    let opened: ReturnType<typeof openRequest>;
    try {
      opened = openRequest(resolved, 'traceRequestListener()', request, response);
    } catch (error) {
      contain('traceRequestListener', error);
      return listener(request, response);
    }
    return runInContext(opened.context, () => runReporting(opened.responseSpan, () => listener(request, response)));
  };
}
