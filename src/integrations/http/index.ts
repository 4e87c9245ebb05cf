// Carrying traces across HTTP: the legacy helpers, and request tracing for Express/Connect and plain Node servers.
export { addTraceInfoHeader } from './trace-info-header.js';
export type { TraceInfoHeaderOptions } from './trace-info-header.js';
export { startHttp, type StartHttpOptions } from './start-http.js';
export { errorMiddleware, middleware, traceRequestListener } from './middleware.js';
export type { HttpServerTracingOptions } from './options.js';
