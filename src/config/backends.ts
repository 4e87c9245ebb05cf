// From backend names to span processors: which exporter each backend is, and how spans are queued before it.
import type { TraceSdk } from '../sdk-line/trace-sdk.js';
import type { SdkSpanProcessor as SpanProcessor } from '../sdk-line/types.js';
import { LogSpanExporter } from '../exporters/log/index.js';
import { StatsdSpanExporter } from '../exporters/statsd/index.js';
import { createZipkinBackend } from '../exporters/zipkin/index.js';
import type { BackendName, ResolvedOptions } from './options.js';

/** The stock ZipkinExporter behind tomograph's bounded batch processor (see exporters/zipkin). */
function zipkinProcessor(options: ResolvedOptions): SpanProcessor {
  const { maxQueueSize, maxExportBatchSize, scheduledDelayMillis, exportTimeoutMillis } = options.batch;
  return createZipkinBackend({
    url: options.zipkin.url,
    headers: options.zipkin.headers,
    serviceName: options.serviceName,
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis,
    // A hung request is abandoned (its socket destroyed) by the time shutdown() stops waiting, so it cannot
    // keep the process alive after shutdown.
    timeoutMillis: Math.min(exportTimeoutMillis, options.shutdownTimeoutMillis),
  });
}

/** One span processor per backend, so that a slow or failing backend never holds up another. */
export function createProcessors(options: ResolvedOptions, sdk: TraceSdk): SpanProcessor[] {
  return options.backends.map((name: BackendName): SpanProcessor => {
    switch (name) {
      case 'log':
        // A developer's terminal: each trace as soon as it ends.
        return sdk.simpleProcessor(new LogSpanExporter(options.log));
      case 'zipkin':
        return zipkinProcessor(options);
      case 'statsd':
        return sdk.batchProcessor(new StatsdSpanExporter(options.statsd), options.batch);
    }
  });
}
