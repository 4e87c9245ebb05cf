// createOtlpBackend: the span processor configure() registers for the 'otlp' backend. A batch processor around the
// stock OTLP exporter of the app's OpenTelemetry line, whose forceFlush() and shutdown() always settle, in time,
// without rejecting, and leave nothing that keeps the process alive past their bound.
import { boundedBatchBackend, type CountingSpanProcessor } from '../bounded-batch-processor.js';
import { loadOtlpExporterClass } from './exporter-package.js';
import { resolveOtlpProcessorOptions, type OtlpProcessorOptions } from './options.js';
import { OtlpServiceExporter } from './service-exporter.js';

/** The OTLP span processor. */
export type OtlpBackend = CountingSpanProcessor;

/**
 * The span processor for the 'otlp' backend: batches spans and sends them with the stock OTLPTraceExporter of
 * the app's own installation (@opentelemetry/exporter-trace-otlp-proto for 'http/protobuf',
 * @opentelemetry/exporter-trace-otlp-http for 'http/json'), each span under its own service. Throws
 * TomographError `INVALID_OPTION` for bad options and `MISSING_PACKAGE` when the exporter package is absent.
 * `shutdown()` and `forceFlush()` resolve within `timeoutMillis` whether the receiver is down, failing or hanging.
 */
export function createOtlpBackend(options: OtlpProcessorOptions = {}): OtlpBackend {
  const resolved = resolveOtlpProcessorOptions(options);
  const ExporterClass = loadOtlpExporterClass(resolved.protocol);
  // Options left undefined stay unset, so the stock exporter reads OTEL_EXPORTER_OTLP_* for them.
  const inner = new ExporterClass({
    ...(resolved.url === undefined ? {} : { url: resolved.url }),
    ...(resolved.headers === undefined ? {} : { headers: resolved.headers }),
    timeoutMillis: resolved.timeoutMillis,
  });
  const exporter = new OtlpServiceExporter({ inner, fallbackService: resolved.serviceName });
  // Nothing to destroy at the bound: the stock exporter gives up each export, retries included, at timeoutMillis and
  // destroys a hung request itself. What is still in flight at the bound is counted as dropped then.
  return boundedBatchBackend(exporter, 'OTLP', resolved, 'createOtlpBackend()');
}
