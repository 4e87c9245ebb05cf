// Tracing every request of a server: an Express/Connect middleware and a wrapper for a plain
// `http.createServer` request listener. Each request runs in its own context holding its server span (a fresh
// boundary, so facade spans never leak across concurrent or keep-alive requests) and the span ends with the
// response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runInContext } from '../../context/boundary.js';
import { contain } from '../../facade/misuse.js';
import {
  resolveHttpServerTracingOptions,
  type HttpServerTracingOptions,
  type ResolvedHttpServerTracingOptions,
} from './options.js';
import { openRequestSpan, runReporting, type RequestSpan } from './request-span.js';
import type { IncomingRequestLike, ResponseSpan, ServerResponseLike } from './server-span.js';

// The span of each traced request, for errorMiddleware: on the request itself, under a symbol of this module (a
// WeakMap entry cost more per request, and the request keeps it no longer than it lives).
const RESPONSE_SPAN = Symbol('tomograph.responseSpan');

function openRequest(
  options: ResolvedHttpServerTracingOptions,
  owner: string,
  request: IncomingRequestLike,
  response: ServerResponseLike,
): RequestSpan {
  const opened = openRequestSpan(options, owner, request, response);
  // Reflect.set: a frozen request is served traced, only errorMiddleware cannot find its span.
  Reflect.set(request, RESPONSE_SPAN, opened.responseSpan);
  return opened;
}

// A plain listener or an Express handler has no framework that answers a client error with a 4xx: whatever it
// throws marks the span ERROR.
const anyThrow = (): boolean => true;

/**
 * An Express/Connect middleware that traces each request as a server span (the Python `Middleware` filter).
 * Put it first. Throws TomographError('INVALID_OPTION') for bad options.
 */
export function middleware(
  options: HttpServerTracingOptions,
): (request: IncomingRequestLike, response: ServerResponseLike, next: (error?: unknown) => void) => void {
  const resolved = resolveHttpServerTracingOptions(options);
  return function tomographMiddleware(request, response, next) {
    let opened: RequestSpan;
    try {
      opened = openRequest(resolved, 'middleware()', request, response);
    } catch (error) {
      // A request tracing cannot read (a hostile object): it is served untraced.
      contain('middleware', error);
      next();
      return;
    }
    // Express and Connect catch what handlers throw and answer 500, which marks the span ERROR.
    runInContext(opened.context, () => runReporting(opened.responseSpan, () => next(), anyThrow));
  };
}

/**
 * An Express/Connect error middleware that records the error a handler threw (or passed to `next`) on the
 * request's span, with its message, then passes it on. Put it after your routes and before your own error
 * handlers; without it a thrown error still marks the span ERROR through the 500 answer, as 'HTTP 500'.
 */
export function errorMiddleware(): (
  error: unknown,
  request: object,
  response: unknown,
  next: (error?: unknown) => void,
) => void {
  return function tomographErrorMiddleware(error, request, _response, next) {
    (Reflect.get(request, RESPONSE_SPAN) as ResponseSpan | undefined)?.fail(error);
    next(error);
  };
}

/**
 * Wraps a plain `http.createServer` request listener so that each request is traced as a server span.
 * A throw or a rejected promise from `listener` marks the span ERROR and is passed on unchanged.
 * Throws TomographError('INVALID_OPTION') for bad options.
 */
export function traceRequestListener<
  Req extends IncomingRequestLike = IncomingMessage,
  Res extends ServerResponseLike = ServerResponse,
  R = void,
>(options: HttpServerTracingOptions, listener: (request: Req, response: Res) => R): (request: Req, response: Res) => R {
  const resolved = resolveHttpServerTracingOptions(options);
  return function tracedRequestListener(request, response) {
    let opened: RequestSpan;
    try {
      opened = openRequest(resolved, 'traceRequestListener()', request, response);
    } catch (error) {
      contain('traceRequestListener', error);
      return listener(request, response);
    }
    return runInContext(opened.context, () =>
      runReporting(opened.responseSpan, () => listener(request, response), anyThrow),
    );
  };
}
