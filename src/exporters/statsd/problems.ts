// Counts everything the exporter drops, clamps or fails to send, and reports it through OpenTelemetry's diag at a
// bounded rate, so telemetry trouble is visible without flooding the host's logs or reaching its console.
import { diag } from '@opentelemetry/api';

/** Running totals of one exporter, readable through `StatsdSpanExporter.getStats()`. */
export interface StatsdExporterStats {
  /** Spans whose metrics were handed to the client. */
  spansSent: number;
  /** Metric lines handed to the client (the overflow counter included). */
  metricsSent: number;
  /** Metrics not sent under their own name because of `maxMetricNames`/`maxNoteNamesPerSpan`. */
  metricsOverflowed: number;
  /** Metric lines longer than `maxDatagramBytes`, dropped. */
  metricsOversized: number;
  /** Durations that were negative, NaN or too large, clamped before sending. */
  durationsClamped: number;
  /** Calls of a user naming function that threw; that metric was dropped. */
  namingErrors: number;
  /** Errors from the client or its socket (DNS, refused TCP, EMSGSIZE, send after close…). */
  sendErrors: number;
  /** Spans not sent: exported after shutdown, beyond the queue bound, while the transport was stalled, or unreadable. */
  spansDropped: number;
  /** Flushes or closes cut short by `shutdownTimeoutMillis`; what they held may be lost. */
  timeouts: number;
}

export type ProblemKind = Exclude<keyof StatsdExporterStats, 'spansSent' | 'metricsSent'>;

const DESCRIPTIONS: Record<ProblemKind, string> = {
  metricsOverflowed: 'metric names beyond the distinct-name bound, counted on tomograph.overflow instead',
  metricsOversized: 'metric lines longer than maxDatagramBytes, dropped',
  durationsClamped: 'negative, NaN or too large durations, clamped',
  namingErrors: 'errors thrown by the naming function, metric dropped',
  sendErrors: 'errors sending to statsd',
  spansDropped: 'spans dropped',
  timeouts: 'flush or close cut short by shutdownTimeoutMillis',
};

/** Counts problems and reports the 1st, 10th, 100th… of each kind, with the latest detail. */
export class ProblemReport {
  readonly stats: StatsdExporterStats = {
    spansSent: 0,
    metricsSent: 0,
    metricsOverflowed: 0,
    metricsOversized: 0,
    durationsClamped: 0,
    namingErrors: 0,
    sendErrors: 0,
    spansDropped: 0,
    timeouts: 0,
  };

  add(kind: ProblemKind, count: number, detail?: string): void {
    if (count <= 0) return;
    const before = this.stats[kind];
    const after = before + count;
    this.stats[kind] = after;
    // Report when the total crosses a power of ten: the first problem is always seen, a flood costs a few lines.
    if (Math.floor(Math.log10(after)) > (before === 0 ? -1 : Math.floor(Math.log10(before)))) {
      diag.warn(`tomograph statsd exporter: ${after} ${DESCRIPTIONS[kind]}${detail ? ` (latest: ${detail})` : ''}`);
    }
  }
}
