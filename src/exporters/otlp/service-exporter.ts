// The SpanExporter tomograph puts between its batch processor and the stock OTLP exporter: it hands the stock
// exporter each span under its own service (./service-view.ts), and counts and reports every span not delivered.
// Sending, retrying (with backoff, within the timeout) and the per-request timeout are the stock exporter's.
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '../../sdk-line/types.js';
import type { SdkReadableSpan as ReadableSpan, SdkSpanExporter as SpanExporter } from '../../sdk-line/types.js';
import { toOtlpExportView } from './service-view.js';

export class OtlpServiceExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #fallbackService: string | undefined;
  /** The `finish` of every export the stock exporter has not answered yet. */
  readonly #inFlight = new Set<(result: ExportResult) => void>();
  #droppedSpanCount = 0;

  constructor(options: { inner: SpanExporter; fallbackService: string | undefined }) {
    this.#inner = options.inner;
    this.#fallbackService = options.fallbackService;
  }

  /** Spans handed to this exporter that the receiver did not accept (refused, failed, timed out, or unsent). */
  get droppedSpanCount(): number {
    return this.#droppedSpanCount;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (spans.length === 0) return resultCallback({ code: ExportResultCode.SUCCESS });
    let settled = false;
    const finish = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      this.#inFlight.delete(finish);
      if (result.code !== ExportResultCode.SUCCESS) this.#drop(spans.length, result.error);
      resultCallback(result);
    };
    this.#inFlight.add(finish);
    try {
      this.#inner.export(
        spans.map((span) => toOtlpExportView(span, this.#fallbackService)),
        finish,
      );
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /**
   * Counts every export still unanswered as dropped and settles it now, when a flush or shutdown gives up. The
   * stock exporter ends its request at its own deadline (the same bound) and has no way to cancel it sooner; its
   * late answer is ignored, so a late success still counts as dropped (an overcount, never an undercount).
   */
  abandonInFlight(reason: string): void {
    const error = new Error(reason);
    for (const finish of [...this.#inFlight]) finish({ code: ExportResultCode.FAILED, error });
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  #drop(count: number, error: Error | undefined): void {
    this.#droppedSpanCount += count;
    diag.warn(
      `tomograph: ${count} span(s) not sent over OTLP (${error?.message ?? 'export failed'}); ${this.#droppedSpanCount} dropped in all`,
    );
  }
}
