// From backend names to span processors: which exporter each backend is, and how spans are queued before it.
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { LogSpanExporter } from '../exporters/log/index.js';
import type { BackendName, ResolvedOptions } from './options.js';

function zipkinExporter(options: ResolvedOptions): SpanExporter {
  return new ZipkinExporter({ url: options.zipkin.url, headers: options.zipkin.headers, serviceName: options.serviceName });
}

/** One span processor per backend, so that a slow or failing backend never holds up another. */
export function createProcessors(options: ResolvedOptions): SpanProcessor[] {
  return options.backends.map((name: BackendName): SpanProcessor => {
    switch (name) {
      case 'log':
        // A developer's terminal: each trace as soon as it ends.
        return new SimpleSpanProcessor(new LogSpanExporter(options.log) as unknown as SpanExporter);
      case 'zipkin':
        return new BatchSpanProcessor(zipkinExporter(options), options.batch);
      case 'statsd':
        throw new Error('statsd backend: not yet available');
    }
  });
}
