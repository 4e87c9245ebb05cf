// The 'tomograph/koa' entry: the Koa middleware. It never loads Koa (an optional peer), nor does 'tomograph'.
export { koaTracing } from './integrations/koa/middleware.js';
export type { KoaContextLike, KoaTracingMiddleware } from './integrations/koa/middleware.js';
export type { HttpServerTracingOptions } from './integrations/http/options.js';
