// createZipkinBackend: the span processor configure() registers for the 'zipkin' backend. A batch processor
// around the bounded exporter, whose forceFlush() and shutdown() always settle, in time, without rejecting.
import { diag, type Context } from '@opentelemetry/api';
import { loadPeer } from '../../sdk-line/peers.js';
import { traceSdk } from '../../sdk-line/trace-sdk.js';
import type { SdkSpanProcessor as SpanProcessor } from '../../sdk-line/types.js';
import { BoundedZipkinExporter, type StockZipkinExporter } from './bounded-exporter.js';
import { resolveZipkinProcessorOptions, type ZipkinProcessorOptions } from './options.js';
import { settleWithin } from '../deadline.js';

/** The Zipkin span processor. */
export interface ZipkinBackend extends SpanProcessor {
  /**
   * Spans handed to the exporter whose export failed, timed out or was abandoned at shutdown; each drop is also
   * reported through `diag.warn`. It does not count spans the batch queue turned away when it already held
   * `maxQueueSize` spans: the SDK's BatchSpanProcessor keeps that count to itself and reports it through
   * `diag.warn` ("Dropped N spans because maxQueueSize reached").
   */
  readonly droppedSpanCount: number;
  /** The running counts, in the shape every tomograph exporter and integration reports them. */
  getStats(): { droppedSpans: number };
}

class ZipkinSpanProcessor implements ZipkinBackend {
  readonly #batch: SpanProcessor;
  readonly #exporter: BoundedZipkinExporter;
  readonly #boundMillis: number;

  constructor(batch: SpanProcessor, exporter: BoundedZipkinExporter, boundMillis: number) {
    this.#batch = batch;
    this.#exporter = exporter;
    this.#boundMillis = boundMillis;
  }

  get droppedSpanCount(): number {
    return this.#exporter.droppedSpanCount;
  }

  getStats(): { droppedSpans: number } {
    return { droppedSpans: this.#exporter.droppedSpanCount };
  }

  onStart(span: object, parentContext: Context): void {
    this.#batch.onStart(span, parentContext);
  }

  onEnd(span: object): void {
    this.#batch.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#bounded('forceFlush', this.#batch.forceFlush());
  }

  shutdown(): Promise<void> {
    return this.#bounded('shutdown', this.#batch.shutdown());
  }

  /** Settles when `work` does or at the bound, whichever is first; never rejects (telemetry must not break the host). */
  #bounded(what: string, work: Promise<void>): Promise<void> {
    return settleWithin(work, this.#boundMillis, {
      onTimeout: () => {
        this.#exporter.abandonInFlight(`Zipkin ${what} abandoned after ${this.#boundMillis} ms`);
        diag.warn(`tomograph: Zipkin ${what} did not finish within ${this.#boundMillis} ms; open exports abandoned`);
      },
      onError: (error) => diag.warn(`tomograph: Zipkin ${what} failed: ${error instanceof Error ? error.message : String(error)}`),
    });
  }
}

/**
 * The span processor for the 'zipkin' backend: batches spans and sends them with the stock ZipkinExporter.
 * Throws TomographError('INVALID_OPTION') for bad options. `shutdown()` and `forceFlush()` resolve within
 * `timeoutMillis` whether the collector is down, failing or hanging, and leave no socket open.
 */
export function createZipkinBackend(options: ZipkinProcessorOptions = {}): ZipkinBackend {
  const resolved = resolveZipkinProcessorOptions(options);
  const why = 'createZipkinBackend()';
  const { ZipkinExporter } = loadPeer<{ ZipkinExporter: new (config: object) => StockZipkinExporter }>('@opentelemetry/exporter-zipkin', why);
  const inner = new ZipkinExporter({ url: resolved.url, headers: resolved.headers, serviceName: resolved.serviceName });
  const exporter = new BoundedZipkinExporter({ inner, timeoutMillis: resolved.timeoutMillis });
  const batch = traceSdk(why).batchProcessor(exporter, {
    maxQueueSize: resolved.maxQueueSize,
    maxExportBatchSize: resolved.maxExportBatchSize,
    scheduledDelayMillis: resolved.scheduledDelayMillis,
    // Our own deadline settles every export first; this is only the batch processor's backstop.
    exportTimeoutMillis: resolved.timeoutMillis + 1000,
  });
  return new ZipkinSpanProcessor(batch, exporter, resolved.timeoutMillis);
}
