// The OTel setup every facade benchmark runs on: the line's SDK provider with a BatchSpanProcessor whose exporter
// discards, so the figures measure making spans, not sending them.
import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode } from '@opentelemetry/core';
import { batchProcessor, newProvider, type SpanExporter } from '../test/support/sdk-line.js';

const discard: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: () => Promise.resolve(),
};

export interface BenchOtel {
  tracer: Tracer;
  flush(): Promise<void>;
  teardown(): Promise<void>;
}

export function setupBenchOtel(): BenchOtel {
  const provider = newProvider({
    spanProcessors: [
      batchProcessor(discard, { maxQueueSize: 100_000, maxExportBatchSize: 1000, scheduledDelayMillis: 50 }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return {
    tracer: trace.getTracer('raw'),
    flush: () => provider.forceFlush(),
    async teardown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

/** The facade workload of every comparison: a nested pair of spans. */
export { facadePair } from './workloads.js';
