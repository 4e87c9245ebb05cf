// From backend names to span processors: which exporter each backend is, and how spans are queued before it.
import type { TraceSdk } from '../sdk-line/trace-sdk.js';
import type { SdkSpanProcessor as SpanProcessor } from '../sdk-line/types.js';
import { LogSpanExporter, logSpanProcessor } from '../exporters/log/index.js';
import { StatsdSpanExporter, StatsdSpanProcessor } from '../exporters/statsd/index.js';
import { createOtlpBackend, loadOtlpExporterClass } from '../exporters/otlp/index.js';
import { resolveOtlpProcessorOptions } from '../exporters/otlp/options.js';
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

/**
 * The stock OTLP exporter of the app's OpenTelemetry line behind tomograph's bounded batch processor (see
 * exporters/otlp).
 */
function otlpProcessor(options: ResolvedOptions): SpanProcessor {
  const { maxQueueSize, maxExportBatchSize, scheduledDelayMillis, exportTimeoutMillis } = options.batch;
  const own = resolveOtlpProcessorOptions(options.otlp);
  return createOtlpBackend({
    ...options.otlp,
    serviceName: options.serviceName,
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis,
    // Every export, retries included, ends by the time shutdown() stops waiting, so none keeps the process alive.
    timeoutMillis: Math.min(own.timeoutMillis, exportTimeoutMillis, options.shutdownTimeoutMillis),
  });
}

/** One span processor per backend, so that a slow or failing backend never holds up another. */
export function createProcessors(options: ResolvedOptions, sdk: TraceSdk): SpanProcessor[] {
  // What can throw (a bad OTLP option, the OTLP exporter package missing) is checked before any backend opens a
  // socket, so that a refused configure() leaves nothing open behind it.
  if (options.backends.includes('otlp')) loadOtlpExporterClass(resolveOtlpProcessorOptions(options.otlp).protocol);
  const built: SpanProcessor[] = [];
  try {
    for (const name of options.backends) built.push(processorFor(name, options, sdk));
  } catch (error) {
    // Whatever was still able to fail: the backends already built (a statsd client, a socket) are closed again.
    for (const processor of built) void processor.shutdown().catch(() => undefined);
    throw error;
  }
  return built;
}

function processorFor(name: BackendName, options: ResolvedOptions, sdk: TraceSdk): SpanProcessor {
  switch (name) {
    case 'log': {
      // A developer's terminal: each trace as soon as no span of it is open any more.
      const exporter = new LogSpanExporter(options.log);
      return logSpanProcessor(sdk.simpleProcessor(exporter), exporter);
    }
    case 'zipkin':
      return zipkinProcessor(options);
    case 'otlp':
      return otlpProcessor(options);
    case 'statsd':
      // Every recording span, sampled or not (see config/sampler.ts), straight into the exporter's own bounded,
      // paced queue: a second queue in front of it would only add a place to drop spans. Its shutdown() always
      // closes the exporter, even when the last flush failed.
      return new StatsdSpanProcessor(new StatsdSpanExporter(options.statsd));
  }
}
