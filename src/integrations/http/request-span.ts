// The request span of a framework integration (Fastify plugin, Koa middleware): opened from the request's headers
// over whatever instrumentation made active, ended by the response, and re-entered wherever the framework resumes
// the request outside its context.
import type { Context } from '@opentelemetry/api';
import { activeContext } from '../../context/activation.js';
import { runInContext } from '../../context/boundary.js';
import { topFrame } from '../../context/frame-context.js';
import { openSpan, type Frame } from '../../facade/span-stack.js';
import type { ResolvedHttpServerTracingOptions } from './options.js';
import { enclosingSpanIds } from './enclosing-spans.js';
import { requestParent } from './request-parent.js';
import {
  endWithResponse,
  serverSpanSpec,
  type IncomingRequestLike,
  type ResponseSpan,
  type ServerResponseLike,
} from './server-span.js';

/** One traced request: the context holding its span (a fresh boundary), its frame, and how it fails. */
export interface RequestSpan {
  readonly context: Context;
  readonly frame: Frame;
  readonly responseSpan: ResponseSpan;
}

/**
 * Opens the server span of `request` as the middleware does: its parent from the active context or the headers
 * (legacy `X-Trace-Info` too), pinned over the spans an instrumentation opened around it, ended with `response`.
 * Throws on a request it cannot read; callers serve such a request untraced.
 */
export function openRequestSpan(
  options: ResolvedHttpServerTracingOptions,
  owner: string,
  request: IncomingRequestLike,
  response: ServerResponseLike,
): RequestSpan {
  const active = activeContext();
  const parent = requestParent(request.headers ?? {}, { legacyHeader: options.legacyHeader }, active);
  const pinnedOver = enclosingSpanIds(active);
  const opened = openSpan(
    serverSpanSpec(options.serviceName, options.name, request),
    parent,
    owner,
    pinnedOver === undefined ? {} : { pinnedOver },
  );
  return { context: opened.context, frame: opened.frame, responseSpan: endWithResponse(opened.frame, response) };
}

/** True when the active context holds `frame`, as the innermost facade frame or below one opened inside it. */
function isActive(frame: Frame): boolean {
  for (let open = topFrame(activeContext()); open !== undefined; open = open.below) if (open === frame) return true;
  return false;
}

/**
 * Runs `fn` inside the request: as it is when the request's frame is already active (so that a span an
 * instrumentation made active inside it, such as @fastify/otel's handler span, stays the parent), else in the
 * request's context. A framework that resumes a request from a stream event (Fastify after reading a body) or from
 * a callback a library lost the context of comes back here outside it.
 */
export function runInRequest<R>(request: RequestSpan, fn: () => R): R {
  return isActive(request.frame) ? fn() : runInContext(request.context, fn);
}

/**
 * True for an error a framework answers with a 4xx (its `status` or `statusCode`): the client's mistake, shown by
 * the span's status code, not an ERROR of the server.
 */
export function isClientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code = typeof statusCode === 'number' ? statusCode : status;
  return typeof code === 'number' && code >= 400 && code < 500;
}

/**
 * Runs `handler` (the rest of the request), telling the span about a throw or a rejected promise that `isFailure`
 * accepts (by default, any but a client error a framework answers with a 4xx). What it throws is rethrown; a promise
 * is replaced by one that settles the same way, so a rejection nobody handles stays unhandled, as it was.
 */
export function runReporting<R>(
  responseSpan: ResponseSpan,
  handler: () => R,
  isFailure: (error: unknown) => boolean = (error) => !isClientError(error),
): R {
  let result: R;
  try {
    result = handler();
  } catch (error) {
    if (isFailure(error)) responseSpan.fail(error);
    throw error;
  }
  if (!(result instanceof Promise)) return result;
  return result.then(undefined, (error: unknown) => {
    if (isFailure(error)) responseSpan.fail(error);
    throw error;
  }) as R;
}
