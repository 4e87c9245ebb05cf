// startHttp: the legacy `start_http` — start a server span for a request, continuing the caller's trace.
import { startSpan } from '../../facade/span-stack.js';
import { contain, reportMisuse } from '../../facade/misuse.js';
import { requestParent } from './request-parent.js';
import { serverSpanSpec, type IncomingRequestLike } from './server-span.js';

export interface StartHttpOptions {
  /** Also read the Python tomograph's `X-Trace-Info` pickle header (strictly, never unpickled). @default false */
  legacyHeader?: boolean;
}

/**
 * Starts span `name` of service `serviceName` for `request` and makes it active, like `start()`; end it with
 * `stop(name)`. Its parent is the caller's span from the global propagator's headers, else from `X-Trace-Info`,
 * else (only with `legacyHeader`) from the legacy Python header; a malformed header is ignored and a new trace
 * starts. The endpoint is the local address and port that received the request.
 *
 * Like `start()`, it does not open a context boundary: in a plain request listener prefer `traceRequestListener`
 * or `middleware`, which do, so that nothing leaks across keep-alive requests.
 */
export function startHttp(
  serviceName: string,
  name: string,
  request: IncomingRequestLike,
  options: StartHttpOptions = {},
): void {
  try {
    if (
      typeof serviceName !== 'string' ||
      typeof name !== 'string' ||
      typeof request !== 'object' ||
      request === null
    ) {
      reportMisuse('INVALID_ARGUMENT', 'startHttp(serviceName, name, request): expected two strings and a request');
      return;
    }
    const parent = requestParent(request.headers ?? {}, { legacyHeader: options?.legacyHeader === true });
    startSpan(serverSpanSpec(serviceName, name, request), parent);
  } catch (error) {
    contain('startHttp', error);
  }
}
