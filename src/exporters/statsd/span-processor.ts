// StatsdSpanProcessor: feeds the statsd exporter every span that ends and records, sampled or not, so that counts
// and timers do not shrink with the trace sampling ratio. Trace exporters sit behind their usual processors, which
// pass on only sampled spans; beside a sampler that records what it does not sample (alwaysRecordSampler or the
// SDK's createAlwaysRecordSampler), statsd sees every span while Zipkin still gets the sampled share.
import { context } from '@opentelemetry/api';
import { suppressTracing } from '../../otel-internals/index.js';
import type { StatsdSpanExporter } from './exporter.js';
import type { ExportableSpan } from './span-facts.js';

export interface StatsdSpanProcessorOptions {
  /** Spans handed to the exporter at once; smaller batches answer sooner. @default 512 */
  maxBatchSize?: number;
}

/**
 * A span processor for {@link StatsdSpanExporter} (of SDK 1.x and 2.x alike): it batches ended spans within one
 * turn of the event loop and hands them to the exporter, whose own bounded, paced queue does the rest. It never
 * drops a span by sampling decision. `shutdown()` always shuts the exporter down, even when the last flush failed.
 */
export class StatsdSpanProcessor {
  private batch: ExportableSpan[] = [];
  private scheduled = false;
  private readonly maxBatchSize: number;

  constructor(
    private readonly exporter: StatsdSpanExporter,
    options: StatsdSpanProcessorOptions = {},
  ) {
    const size = options.maxBatchSize ?? 512;
    this.maxBatchSize = Number.isSafeInteger(size) && size > 0 ? size : 512;
  }

  onStart(): void {}

  onEnd(span: ExportableSpan): void {
    this.batch.push(span);
    if (this.batch.length >= this.maxBatchSize) {
      this.handOver();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.handOver();
      });
    }
  }

  forceFlush(): Promise<void> {
    this.handOver();
    return this.exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    this.handOver();
    return this.exporter.shutdown();
  }

  private handOver(): void {
    if (this.batch.length === 0) return;
    const spans = this.batch;
    this.batch = [];
    // As the SDK's processors do: whatever the export touches is not traced itself. The result is counted by the
    // exporter (getStats) and reported through diag; nothing here waits on it.
    context.with(suppressTracing(context.active()), () => this.exporter.export(spans, () => {}));
  }
}
