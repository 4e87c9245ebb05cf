// The public entry of 'tomograph': every name a user may import is declared here, and only here.

// The facade: the legacy calls on OpenTelemetry spans.
export { start, stop } from './facade/span-stack.js';
export { annotate, tag } from './facade/notes.js';
export type { AnnotateOptions, TagValue } from './facade/notes.js';
export { getTraceInfo } from './facade/token.js';
export { traced } from './facade/traced.js';
export type { TracedDecorator, TracedOptions, TracedToken } from './facade/traced.js';
export { setStrictMode } from './facade/misuse.js';

// Carrying traces across HTTP.
export {
  addTraceInfoHeader,
  errorMiddleware,
  startHttp,
  middleware,
  traceRequestListener,
} from './integrations/http/index.js';
export type { HttpServerTracingOptions, StartHttpOptions, TraceInfoHeaderOptions } from './integrations/http/index.js';
export { TRACE_INFO_HEADER } from './propagation/extract.js';
export { createPropagator } from './propagation/propagators.js';
export type { PropagationFormat, PropagatorOptions } from './propagation/propagators.js';

// Setting up OpenTelemetry for users who have no setup of their own.
export { configure } from './config/configure.js';
export type { Tomograph } from './config/configure.js';
export type { BackendName, BatchOptions, ConfigureOptions, ZipkinBackendOptions } from './config/options.js';

// Exporters.
export { LogSpanExporter, renderWaterfall } from './exporters/log/index.js';
export type { LogExporterOptions, WaterfallStyle } from './exporters/log/index.js';
export { createOtlpBackend } from './exporters/otlp/index.js';
export type { OtlpBackend, OtlpBackendOptions, OtlpProcessorOptions, OtlpProtocol } from './exporters/otlp/index.js';
export { createZipkinBackend } from './exporters/zipkin/index.js';
export type { ZipkinBackend, ZipkinProcessorOptions } from './exporters/zipkin/index.js';

// Integrations: SQL statements run through knex (the legacy SQLAlchemy listeners).
export { traceKnex } from './integrations/knex/trace-knex.js';
export type { KnexEventSource, KnexTracing, KnexTracingStats } from './integrations/knex/trace-knex.js';
export type { StatementNoteText, TraceKnexOptions } from './integrations/knex/options.js';

export { TomographError, isTomographError } from './errors.js';
export type { TomographErrorCode } from './errors.js';
export {
  ATTR_SERVICE_NAME,
  ATTR_ENDPOINT_ADDRESS,
  ATTR_ENDPOINT_PORT,
  ATTR_NOTE_DURATION_MS,
  ATTR_NOT_STOPPED,
  ATTR_ORPHAN,
} from './attributes.js';

// The statsd exporter (also alone from 'tomograph/statsd').
export { StatsdSpanExporter, StatsdSpanProcessor, alwaysRecordSampler } from './exporters/statsd/index.js';
export type {
  StatsdSpanExporterOptions,
  StatsdSpanProcessorOptions,
  StatsdExporterStats,
  MetricNamer,
  MetricNameInput,
} from './exporters/statsd/index.js';
