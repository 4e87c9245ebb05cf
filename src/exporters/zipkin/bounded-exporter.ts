// The SpanExporter tomograph gives its batch processor: the stock ZipkinExporter does the sending, this wrapper
// shows it the corrected span view, bounds each export in time, and counts and reports every dropped span.
import { diag } from '@opentelemetry/api';
import type { ClientRequest } from 'node:http';
import {
  ExportResultCode,
  type ExportResult,
  type SdkReadableSpan as ReadableSpan,
  type SdkSpanExporter,
} from '../../sdk-line/types.js';
import { captureClientRequests } from './request-capture.js';
import { toZipkinExportView } from './span-view.js';

/** The stock ZipkinExporter of either line, by the methods tomograph calls. */
export interface StockZipkinExporter extends SdkSpanExporter {
  forceFlush(): Promise<void>;
}

export class BoundedZipkinExporter implements SdkSpanExporter {
  readonly #inner: StockZipkinExporter;
  readonly #timeoutMillis: number;
  readonly #inFlight = new Set<ClientRequest>();
  #droppedSpanCount = 0;

  constructor(options: { inner: StockZipkinExporter; timeoutMillis: number }) {
    this.#inner = options.inner;
    this.#timeoutMillis = options.timeoutMillis;
  }

  /** Spans that never reached Zipkin because an export failed, timed out or was abandoned. */
  get droppedSpanCount(): number {
    return this.#droppedSpanCount;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    // The stock exporter throws on an empty batch when no serviceName option is set.
    if (spans.length === 0) return resultCallback({ code: ExportResultCode.SUCCESS });
    const requests: ClientRequest[] = [];
    let settled = false;
    let release = (): void => undefined;
    const finish = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      release();
      for (const request of requests) this.#inFlight.delete(request);
      if (result.code !== ExportResultCode.SUCCESS) this.#drop(spans.length, result.error);
      resultCallback(result);
    };
    // Unref'd: the open socket keeps the process alive until the deadline, the timer itself never does.
    const deadline = setTimeout(() => {
      const error = new Error(`Zipkin export abandoned after ${this.#timeoutMillis} ms`);
      for (const request of requests) abandon(request, error);
      finish({ code: ExportResultCode.FAILED, error });
    }, this.#timeoutMillis);
    deadline.unref();
    try {
      const capture = captureClientRequests(
        () => this.#inner.export(spans.map(toZipkinExportView), finish),
        (request) => {
          // Work the exporter's callback scheduled may run on after this export settled: its requests are not ours.
          if (settled) return;
          requests.push(request);
          this.#inFlight.add(request);
          // A response that is cut off mid-body must not raise an unhandled 'error' on it.
          request.once('response', (response) => response.on('error', () => undefined));
        },
      );
      // The stock exporter may have answered synchronously (an empty or refused batch) before `release` was set.
      if (settled) capture.release();
      else release = capture.release;
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /** Destroys every request still open, so that no socket to a dead collector outlives shutdown. */
  abandonInFlight(reason: string): void {
    const error = new Error(reason);
    for (const request of this.#inFlight) abandon(request, error);
    this.#inFlight.clear();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  #drop(count: number, error: Error | undefined): void {
    this.#droppedSpanCount += count;
    diag.warn(
      `tomograph: ${count} span(s) not sent to Zipkin (${error?.message ?? 'export failed'}); ${this.#droppedSpanCount} dropped in all`,
    );
  }
}

function abandon(request: ClientRequest, error: Error): void {
  if (!request.destroyed) request.destroy(error);
}
