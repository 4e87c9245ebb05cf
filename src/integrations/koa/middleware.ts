// Tracing every request of a Koa app (2 and 3): a middleware that runs the rest of the request inside the
// request's server span. Koa is read by shape only, so that importing this never loads it.
//
// Why `next()` is called inside the span's context, not after awaiting the Express-style middleware: a callback
// continues where it is called, a promise where it was awaited. `await new Promise((r) => mw(ctx.req, ctx.res, r));
// await next()` resumes in the context the Koa middleware was called in, without the span: the span ends empty
// and the downstream middleware's spans start new traces.
import { contain } from '../../facade/misuse.js';
import { resolveHttpServerTracingOptions, type HttpServerTracingOptions } from '../http/options.js';
import { openRequestSpan, runInRequest, runReporting, type RequestSpan } from '../http/request-span.js';
import type { IncomingRequestLike, ServerResponseLike } from '../http/server-span.js';

/** The parts of a Koa context the middleware reads. */
export interface KoaContextLike {
  req: IncomingRequestLike;
  res: ServerResponseLike;
}

/** A Koa middleware: pass it to `app.use()`. */
export type KoaTracingMiddleware = (context: KoaContextLike, next: () => Promise<unknown>) => Promise<unknown>;

const OWNER = "tomograph/koa's middleware";

/**
 * A Koa middleware (Koa 2 and 3) that traces each request as a server span, as `middleware()` does for Express:
 * the caller's trace continued from `traceparent` (or `X-Trace-Info`, and the Python header with `legacyHeader`),
 * the span ended with the response (5xx is ERROR), an error thrown downstream recorded on it unless Koa answers it
 * with a 4xx, and the downstream middleware's facade, OpenTelemetry and SQL spans under it. `app.use()` it first.
 * Throws TomographError('INVALID_OPTION') for bad options.
 */
export function koaTracing(options: HttpServerTracingOptions): KoaTracingMiddleware {
  const resolved = resolveHttpServerTracingOptions(options);
  return function tomographKoaMiddleware(context, next) {
    let traced: RequestSpan;
    try {
      traced = openRequestSpan(resolved, OWNER, context.req, context.res);
    } catch (error) {
      // A request tracing cannot read (a hostile object): it is served untraced.
      contain('koaTracing', error);
      return next();
    }
    return runInRequest(traced, () => runReporting(traced.responseSpan, () => next()));
  };
}
