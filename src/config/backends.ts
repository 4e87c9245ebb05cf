// From backend names to span processors: which exporter each backend is, and how spans are queued before it.
import { SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LogSpanExporter } from '../exporters/log/index.js';
import { StatsdSpanExporter, StatsdSpanProcessor } from '../exporters/statsd/index.js';
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
export function createProcessors(options: ResolvedOptions): SpanProcessor[] {
  return options.backends.map((name: BackendName): SpanProcessor => {
    switch (name) {
      case 'log':
        // A developer's terminal: each trace as soon as it ends.
        return new SimpleSpanProcessor(new LogSpanExporter(options.log));
      case 'zipkin':
        return zipkinProcessor(options);
      case 'statsd':
        // Every recording span, sampled or not (see config/sampler.ts), straight into the exporter's own bounded,
        // paced queue: a second queue in front of it would only add a place to drop spans. Its shutdown() always
        // closes the exporter, even when the last flush failed.
        return new StatsdSpanProcessor(new StatsdSpanExporter(options.statsd));
    }
  });
}
