// What the statsd exporter counts and reports: the one getStats() shape and the sentence each problem's warning reads.
import { DiagnosticsReporter } from '../../diagnostics/reporter.js';

/** Running totals of one exporter, readable through `StatsdSpanExporter.getStats()`. */
export interface StatsdExporterStats {
  /** Spans whose metrics were handed to the transport. */
  spansSent: number;
  /** Spans left out by `scopes`, `excludeScopes`, `kinds` or `filter` (not a problem). */
  spansSkipped: number;
  /** Spans not sent by the client-side `sampleRate` (not a problem: the daemon scales the others up). */
  spansSampledOut: number;
  /** Metric lines handed to the transport (the overflow counter included). */
  metricsSent: number;
  /**
   * Metrics not sent under their own name because of `maxMetricNames`/`maxNoteNamesPerSpan`/`maxNameBytes`, or (tag
   * mode) sent on their metric's overflow series because of `maxSeriesPerMetric`.
   */
  metricsOverflowed: number;
  /** Metric lines longer than `maxDatagramBytes`, dropped. */
  metricsOversized: number;
  /** Durations that were negative, NaN or too large, clamped before sending. */
  durationsClamped: number;
  /** Calls of a user naming function that threw; that metric was dropped. */
  namingErrors: number;
  /** Calls of a user filter that threw; that span was skipped. */
  filterErrors: number;
  /** Errors from the socket or client (DNS, refused or reset TCP, EMSGSIZE, send after close…). */
  sendErrors: number;
  /** Metric lines handed over that never reached the socket (the transport was down or failed the write). */
  linesDropped: number;
  /** Spans not sent: exported after shutdown, beyond the queue bound, queued at shutdown's end, or unreadable. */
  spansDropped: number;
  /** Flushes or closes cut short by `shutdownTimeoutMillis`, and transports given up as stalled. */
  timeouts: number;
}

export type StatsdTally = 'spansSent' | 'spansSkipped' | 'spansSampledOut' | 'metricsSent';
export type StatsdProblem = Exclude<keyof StatsdExporterStats, StatsdTally>;

export function createStatsdReporter(): DiagnosticsReporter<StatsdProblem, StatsdTally> {
  return new DiagnosticsReporter<StatsdProblem, StatsdTally>({
    component: 'statsd exporter',
    tallies: ['spansSent', 'spansSkipped', 'spansSampledOut', 'metricsSent'],
    // A process warning for what a developer fixes (a host or port that is wrong, their own function that throws,
    // names that grow without bound); the rest is what a working setup meets under load or when a peer goes away.
    problems: {
      metricsOverflowed: {
        one: 'metric beyond the distinct-name bound (in tag mode, past maxSeriesPerMetric), counted on tomograph.overflow (or its overflow series) instead',
        many: 'metrics beyond the distinct-name bound (in tag mode, past maxSeriesPerMetric), counted on tomograph.overflow (or their overflow series) instead',
        warning: 'STATSD_NAME_BOUND',
      },
      metricsOversized: {
        one: 'metric line longer than maxDatagramBytes, dropped',
        many: 'metric lines longer than maxDatagramBytes, dropped',
      },
      durationsClamped: {
        one: 'negative, NaN or too large duration, clamped',
        many: 'negative, NaN or too large durations, clamped',
      },
      namingErrors: {
        one: 'error thrown by the naming function, metric dropped',
        many: 'errors thrown by the naming function, metric dropped',
        warning: 'STATSD_NAMING_ERROR',
      },
      filterErrors: {
        one: 'error thrown by the filter function, span skipped',
        many: 'errors thrown by the filter function, span skipped',
        warning: 'STATSD_FILTER_ERROR',
      },
      sendErrors: { one: 'error sending to statsd', many: 'errors sending to statsd', warning: 'STATSD_SEND_ERROR' },
      linesDropped: {
        one: 'metric line that did not reach the statsd socket',
        many: 'metric lines that did not reach the statsd socket',
      },
      spansDropped: { one: 'span dropped', many: 'spans dropped' },
      timeouts: {
        one: 'flush or close cut short by shutdownTimeoutMillis, or a stalled transport given up',
        many: 'flushes or closes cut short by shutdownTimeoutMillis, or stalled transports given up',
      },
    },
  });
}
