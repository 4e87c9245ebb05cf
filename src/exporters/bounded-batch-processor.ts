// The span processor shape of tomograph's network backends (Zipkin, OTLP): the SDK's batch processor in front of a
// counting exporter, with forceFlush() and shutdown() that settle within a bound, never reject, and report.
import { diag, type Context } from '@opentelemetry/api';
import { traceSdk } from '../sdk-line/trace-sdk.js';
import type { SdkSpanExporter, SdkSpanProcessor as SpanProcessor } from '../sdk-line/types.js';
import { settleWithin } from './deadline.js';

/** A network backend's span processor. */
export interface CountingSpanProcessor extends SpanProcessor {
  /**
   * Spans handed to the exporter that the receiver did not accept (failed, timed out or abandoned); each drop is
   * also reported through `diag.warn`. It does not count spans the batch queue turned away when it already held
   * `maxQueueSize` spans: the SDK's BatchSpanProcessor keeps that count to itself and reports it through
   * `diag.warn` ("Dropped N spans because maxQueueSize reached").
   */
  readonly droppedSpanCount: number;
  /** The running counts, in the shape every tomograph exporter and integration reports them. */
  getStats(): { droppedSpans: number };
}

export interface BoundedBatchProcessorParts {
  /** The SDK batch processor in front of the exporter. */
  batch: SpanProcessor;
  /** The backend's name in reports ('Zipkin', 'OTLP'). */
  label: string;
  /** How long forceFlush() and shutdown() wait at most. */
  boundMillis: number;
  /** The exporter's count of dropped spans. */
  droppedSpanCount(): number;
  /** Called once when a flush or shutdown is given up at the bound (after which the processor reports it). */
  onGiveUp?(what: string): void;
}

export class BoundedBatchProcessor implements CountingSpanProcessor {
  readonly #parts: BoundedBatchProcessorParts;

  constructor(parts: BoundedBatchProcessorParts) {
    this.#parts = parts;
  }

  get droppedSpanCount(): number {
    return this.#parts.droppedSpanCount();
  }

  getStats(): { droppedSpans: number } {
    return { droppedSpans: this.#parts.droppedSpanCount() };
  }

  onStart(span: object, parentContext: Context): void {
    this.#parts.batch.onStart(span, parentContext);
  }

  onEnd(span: object): void {
    this.#parts.batch.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#bounded('forceFlush', this.#parts.batch.forceFlush());
  }

  shutdown(): Promise<void> {
    return this.#bounded('shutdown', this.#parts.batch.shutdown());
  }

  /**
   * Settles when `work` does or at the bound, whichever is first; never rejects (telemetry must not break the host).
   */
  #bounded(what: string, work: Promise<void>): Promise<void> {
    const { label, boundMillis, onGiveUp } = this.#parts;
    return settleWithin(work, boundMillis, {
      onTimeout: () => {
        onGiveUp?.(what);
        diag.warn(
          `tomograph: ${label} ${what} did not finish within ${boundMillis} ms; ${onGiveUp === undefined ? 'gave up waiting' : 'open exports abandoned'}`,
        );
      },
      onError: (error) =>
        diag.warn(`tomograph: ${label} ${what} failed: ${error instanceof Error ? error.message : String(error)}`),
    });
  }
}

/** What a network backend's exporter gives up and counts: the bounded Zipkin exporter, the OTLP service exporter. */
export interface CountingExporter extends SdkSpanExporter {
  readonly droppedSpanCount: number;
  /** Gives up what is in flight (counting it as dropped); called once at the bound. */
  abandonInFlight(why: string): void;
}

/** The queueing and the bound of a network backend, as its resolved options have them. */
export interface BackendQueueing {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  timeoutMillis: number;
}

/**
 * A network backend: the line's BatchSpanProcessor in front of `exporter`, with forceFlush() and shutdown()
 * bounded at `timeoutMillis`; at the bound what is in flight is abandoned and counted. `why` names the caller in a
 * missing-package error.
 */
export function boundedBatchBackend(
  exporter: CountingExporter,
  label: string,
  queueing: BackendQueueing,
  why: string,
): CountingSpanProcessor {
  const batch = traceSdk(why).batchProcessor(exporter, {
    maxQueueSize: queueing.maxQueueSize,
    maxExportBatchSize: queueing.maxExportBatchSize,
    scheduledDelayMillis: queueing.scheduledDelayMillis,
    // The exporter's own deadline settles every export first; this is only the batch processor's backstop.
    exportTimeoutMillis: queueing.timeoutMillis + 1000,
  });
  return new BoundedBatchProcessor({
    batch,
    label,
    boundMillis: queueing.timeoutMillis,
    droppedSpanCount: () => exporter.droppedSpanCount,
    onGiveUp: (what) => exporter.abandonInFlight(`${label} ${what} abandoned after ${queueing.timeoutMillis} ms`),
  });
}
