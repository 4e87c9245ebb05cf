// createZipkinBackend: the span processor configure() registers for the 'zipkin' backend. A batch processor
// around the bounded exporter, whose forceFlush() and shutdown() always settle, in time, without rejecting. The
// stock exporter and the batch processor come from the app's own OpenTelemetry line (sdk-line/).
import { loadPeer } from '../../sdk-line/peers.js';
import { boundedBatchBackend, type CountingSpanProcessor } from '../bounded-batch-processor.js';
import { BoundedZipkinExporter, type StockZipkinExporter } from './bounded-exporter.js';
import { resolveZipkinProcessorOptions, type ZipkinProcessorOptions } from './options.js';

/** The Zipkin span processor. */
export type ZipkinBackend = CountingSpanProcessor;

/**
 * The span processor for the 'zipkin' backend: batches spans and sends them with the stock ZipkinExporter.
 * Throws TomographError('INVALID_OPTION') for bad options and TomographError('MISSING_PACKAGE') when
 * @opentelemetry/exporter-zipkin is not installed. `shutdown()` and `forceFlush()` resolve within `timeoutMillis`
 * whether the collector is down, failing or hanging, and leave no socket open.
 */
export function createZipkinBackend(options: ZipkinProcessorOptions = {}): ZipkinBackend {
  const resolved = resolveZipkinProcessorOptions(options);
  const why = 'createZipkinBackend()';
  const { ZipkinExporter } = loadPeer<{ ZipkinExporter: new (config: object) => StockZipkinExporter }>(
    '@opentelemetry/exporter-zipkin',
    why,
  );
  const inner = new ZipkinExporter({ url: resolved.url, headers: resolved.headers, serviceName: resolved.serviceName });
  const exporter = new BoundedZipkinExporter({ inner, timeoutMillis: resolved.timeoutMillis });
  // At the bound, a hung collector's socket is destroyed, so that it cannot keep the process alive after shutdown.
  return boundedBatchBackend(exporter, 'Zipkin', resolved, why);
}
