// StatsdSpanExporter: the OpenTelemetry SpanExporter lifecycle. Spans are mapped to metrics (metrics.ts), bounded
// (name-budget.ts), queued and paced (paced-queue.ts) and written through one transport (transport/); every
// export answers SUCCESS only when all of its lines reached the socket.
import { ExportResultCode, type ExportResult } from '../../sdk-line/types.js';
import { settleWithin } from '../deadline.js';
import {
  metricLineLength,
  OVERFLOW_SERIES_TAGS,
  spanToMetrics,
  type MappingOptions,
  type MappingProblems,
  type StatsdMetric,
} from './metrics.js';
import { NameBudget, OVERFLOW_METRIC_NAME } from './name-budget.js';
import { normalizePrefix } from './names.js';
import { resolveStatsdOptions, type ResolvedStatsdOptions, type StatsdSpanExporterOptions } from './options.js';
import { PacedQueue } from './paced-queue.js';
import { realScheduler, type Scheduler } from './scheduler.js';
import { isSelected } from './selection.js';
import { unsettledResources, whenSettled } from './settling-resources.js';
import { readSpanFacts, type ExportableSpan } from './span-facts.js';
import { createStatsdReporter, type StatsdExporterStats } from './stats.js';
import { createSink } from './transport/create-sink.js';
import type { Delivery, MetricSink } from './transport/sink.js';

/** A span's name for a diagnostic, cut short: names may be as long as a SQL statement. */
function spanLabel(span: ExportableSpan): string {
  try {
    return String(span.name).slice(0, 80);
  } catch {
    return '?';
  }
}

function describeError(error: unknown): string {
  return error instanceof Error
    ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`
    : String(error);
}

/** For tests and embedders: the clock and timers the pacing runs on. Not part of the documented options. */
export interface StatsdExporterInternals {
  scheduler?: Scheduler;
  /** Uniform in [0, 1): decides which spans `sampleRate` sends. @default Math.random */
  random?: () => number;
}

/**
 * An OpenTelemetry `SpanExporter` that turns each finished span into statsd metrics: by default the Python
 * tomograph's legacy names (a timer per span, a counter per note, `start` and `stop` included). Works in a Simple
 * or Batch span processor of SDK 1.x and 2.x, in NodeSDK, and behind {@link StatsdSpanProcessor} (every recording
 * span, sampled or not). It never throws into the host and never writes to the console: problems are counted
 * (see {@link StatsdSpanExporter.getStats}) and reported through `diag`.
 */
export class StatsdSpanExporter {
  private readonly options: ResolvedStatsdOptions;
  private readonly sink: MetricSink;
  private readonly queue: PacedQueue<ExportableSpan>;
  private readonly mapping: MappingOptions;
  private readonly budget: NameBudget;
  private readonly overflowName: string;
  private readonly random: () => number;
  private readonly reporter = createStatsdReporter();
  private readonly mappingProblems: MappingProblems = { clampedDurations: 0, namerErrors: 0 };
  /** Exports whose lines are all written but not yet known to have reached the socket. */
  private unanswered = 0;
  private answeredWaiters: Array<() => void> = [];
  private shutdownPromise: Promise<void> | undefined;
  /** Set once shutdown has ended: spans still waiting for their resource are then dropped, not queued. */
  private closed = false;
  /** Spans held until their resource's async attributes settle; they count against `maxQueuedSpans`. */
  private settling = 0;

  /**
   * @throws TomographError('INVALID_OPTION') when an option (or a TOMOGRAPH_STATSD_* variable) is not what it should
   * be.
   */
  constructor(options?: StatsdSpanExporterOptions, internals: StatsdExporterInternals = {}) {
    this.options = resolveStatsdOptions(options);
    const prefix = normalizePrefix(this.options.prefix);
    const { naming, notes, fractionalDurations, durationType, errorCounter, sampleRate } = this.options;
    this.mapping = { naming, notes, fractionalDurations, prefix, durationType, errorCounter, sampleRate };
    this.budget = new NameBudget(
      this.options.maxMetricNames,
      this.options.maxNoteNamesPerSpan,
      this.options.maxNameBytes,
      this.options.maxSeriesPerMetric,
    );
    this.random = internals.random ?? Math.random;
    this.overflowName = `${prefix}${OVERFLOW_METRIC_NAME}`;
    this.sink = createSink(this.options, {
      onError: (error) => this.reporter.problem('sendErrors', 1, describeError(error)),
    });
    this.queue = new PacedQueue<ExportableSpan>({
      bytesPerSecond: this.options.maxBytesPerSecond,
      burstBytes: this.options.burstBytes,
      maxItems: this.options.maxQueuedSpans,
      stallMillis: this.options.shutdownTimeoutMillis,
      scheduler: internals.scheduler ?? realScheduler,
      send: (span) => this.sendSpan(span),
      transport: this.sink,
      onStall: () => {
        this.reporter.problem('timeouts', 1, 'the statsd transport took nothing within shutdownTimeoutMillis');
        this.sink.stalled();
      },
    });
  }

  /**
   * Queues the spans and answers once their lines reached the socket (SUCCESS), or FAILED when some did not (the
   * transport was down or a write failed), after shutdown, or when the queue is full. Never throws and never sends
   * synchronously: a processor calling it from the application's own loop pays only for the push.
   */
  export(spans: readonly ExportableSpan[], resultCallback: (result: ExportResult) => void): void {
    const list = Array.isArray(spans) ? spans : [];
    if (this.shutdownPromise !== undefined) {
      this.reporter.problem('spansDropped', list.length, 'export after shutdown');
      this.answer(resultCallback, {
        code: ExportResultCode.FAILED,
        error: new Error('StatsdSpanExporter is shut down'),
      });
      return;
    }
    this.unanswered += 1;
    const unsettled = unsettledResources(list);
    if (unsettled.length === 0) {
      this.enqueue(list, resultCallback);
      return;
    }
    // Read before its resource settles, a span would be named without the detected attributes (`unknown_service`
    // when the service name is one of them), and the SDK logs an error per read. Wait, as the SDK's processors do,
    // within a bound; held spans count against the queue's bound, and drain() waits for them through `unanswered`.
    if (this.queue.size + this.settling + list.length > this.options.maxQueuedSpans) {
      this.refuse(list.length, resultCallback);
      return;
    }
    this.settling += list.length;
    void whenSettled(unsettled, this.options.resourceWaitMillis).then((settled) => {
      this.settling -= list.length;
      if (settled && !this.closed) {
        this.enqueue(list, resultCallback);
        return;
      }
      const why = this.closed
        ? 'shutdown ended while their resource was settling'
        : `their resource's async attributes did not settle within resourceWaitMillis (${this.options.resourceWaitMillis} ms)`;
      this.reporter.problem('spansDropped', list.length, why);
      this.finish(resultCallback, { code: ExportResultCode.FAILED, error: new Error(`StatsdSpanExporter: ${why}`) });
    });
  }

  /** Queues spans whose export is already counted in `unanswered`. */
  private enqueue(list: readonly ExportableSpan[], resultCallback: (result: ExportResult) => void): void {
    const accepted = this.queue.push(
      list,
      () => this.sink.flush((delivery) => this.settle(list.length, delivery, resultCallback)),
      (unsent) =>
        this.settle(
          list.length,
          { linesLost: 0, error: new Error(`shutdown ended before ${unsent} of its spans were sent`) },
          resultCallback,
        ),
    );
    if (!accepted) this.refuse(list.length, resultCallback);
  }

  /** Answers FAILED for spans beyond the queue's bound (their export was counted in `unanswered`). */
  private refuse(spans: number, resultCallback: (result: ExportResult) => void): void {
    const why = `more than ${this.options.maxQueuedSpans} spans queued`;
    this.reporter.problem('spansDropped', spans, why);
    this.finish(resultCallback, { code: ExportResultCode.FAILED, error: new Error(`StatsdSpanExporter: ${why}`) });
  }

  /** Sends everything queued; resolves within `shutdownTimeoutMillis`, never rejects. */
  forceFlush(): Promise<void> {
    return this.withinDeadline(this.drain(), 'forceFlush');
  }

  /**
   * Flushes, then closes the transport (never a client passed in). Resolves within `shutdownTimeoutMillis` even when
   * a TCP peer refuses or never reads; then nothing of the exporter is left running. Later exports answer FAILED.
   * Idempotent.
   */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.withinDeadline(
      this.drain().then(() => this.sink.close()),
      'shutdown',
    ).then(() => {
      // After a timeout spans may still wait and a socket may still hold a connection or writes: drop the former
      // (counted) and end the latter, so nothing lingers after shutdown.
      this.closed = true;
      this.reporter.problem('spansDropped', this.queue.dropAll(), 'shutdown ended before they were sent');
      this.sink.destroy();
    });
    return this.shutdownPromise;
  }

  /** Running totals: what was sent and skipped, and every drop, clamp and error, by kind. */
  getStats(): Readonly<StatsdExporterStats> {
    return this.reporter.getStats();
  }

  private settle(spans: number, delivery: Delivery, callback: (result: ExportResult) => void): void {
    if (delivery.linesLost > 0)
      this.reporter.problem('linesDropped', delivery.linesLost, describeError(delivery.error));
    const result: ExportResult =
      delivery.error === undefined
        ? { code: ExportResultCode.SUCCESS }
        : {
            code: ExportResultCode.FAILED,
            error: new Error(
              `StatsdSpanExporter: ${delivery.linesLost} lines of ${spans} spans did not reach statsd: ${describeError(delivery.error)}`,
            ),
          };
    this.finish(callback, result);
  }

  /** Answers one export counted in `unanswered`, and wakes drain() when it was the last. */
  private finish(callback: (result: ExportResult) => void, result: ExportResult): void {
    this.answer(callback, result);
    this.unanswered -= 1;
    if (this.unanswered === 0) {
      const waiters = this.answeredWaiters;
      this.answeredWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private answer(callback: (result: ExportResult) => void, result: ExportResult): void {
    try {
      callback(result);
    } catch (error) {
      // A processor's callback that throws must not escape from a timer callback of ours into the host.
      this.reporter.problem('sendErrors', 1, describeError(error));
    }
  }

  /** Sends one span's metrics; returns about how many bytes they add to the wire. */
  private sendSpan(span: ExportableSpan): number {
    const problems = this.mappingProblems;
    try {
      const facts = readSpanFacts(span, this.options.hostName, this.options.dimensions);
      if (!this.selected(facts, span)) return 0;
      // Client-side sampling decides per span, so that a span's calls, errors and duration go (or not) together.
      if (this.options.sampleRate < 1 && !(this.random() < this.options.sampleRate)) {
        this.reporter.tally('spansSampledOut');
        return 0;
      }
      problems.clampedDurations = 0;
      problems.namerErrors = 0;
      const metrics = spanToMetrics(facts, this.mapping, problems);
      if (problems.clampedDurations > 0)
        this.reporter.problem('durationsClamped', problems.clampedDurations, `span '${spanLabel(span)}'`);
      if (problems.namerErrors > 0)
        this.reporter.problem('namingErrors', problems.namerErrors, `span '${spanLabel(span)}'`);
      let bytes = 0;
      for (const metric of metrics) bytes += this.sendMetric(metric);
      this.reporter.tally('spansSent');
      return bytes;
    } catch (error) {
      // Mapping reads defensively and transports route errors to callbacks, so only a span no reader can make sense
      // of (or a bug) gets here: drop that one span, counted, and go on with the others.
      this.reporter.problem('spansDropped', 1, `unreadable span: ${String(error)}`);
      return 0;
    }
  }

  private selected(facts: Parameters<typeof isSelected>[0], span: ExportableSpan): boolean {
    try {
      if (isSelected(facts, this.options)) return true;
    } catch (error) {
      this.reporter.problem('filterErrors', 1, `span '${spanLabel(span)}': ${describeError(error)}`);
    }
    this.reporter.tally('spansSkipped');
    return false;
  }

  private sendMetric(metric: StatsdMetric): number {
    // Length first: a name too long to send must never take a place (or memory) in the name budget.
    const length = metricLineLength(metric);
    if (length > this.options.maxDatagramBytes) {
      this.reporter.problem('metricsOversized', 1, `${length} bytes: ${metric.name.slice(0, 80)}…`);
      return 0;
    }
    if (metric.series === true) {
      if (this.budget.admitSeries(metric)) return this.write(metric);
      // As spanmetrics does past its cardinality limit: the value still counts, on the metric's one overflow series.
      this.reporter.problem('metricsOverflowed', 1, `${metric.name}|#${metric.tags.join(',').slice(0, 200)}`);
      return this.write({ ...metric, tags: OVERFLOW_SERIES_TAGS });
    }
    if (!this.budget.admit(metric)) {
      this.reporter.problem('metricsOverflowed', 1, metric.name.slice(0, 200));
      const overflow: StatsdMetric = { name: this.overflowName, type: 'c', value: 1, tags: [] };
      return this.write(metric.sampleRate === undefined ? overflow : { ...overflow, sampleRate: metric.sampleRate });
    }
    return this.write(metric);
  }

  private write(metric: StatsdMetric): number {
    this.reporter.tally('metricsSent');
    return this.sink.write(metric);
  }

  /** Resolves when the queue is empty and every export is answered. */
  private drain(): Promise<void> {
    return this.queue
      .whenEmpty()
      .then(() =>
        this.unanswered === 0 ? undefined : new Promise<void>((resolve) => this.answeredWaiters.push(resolve)),
      );
  }

  private withinDeadline(work: Promise<void>, what: string): Promise<void> {
    return settleWithin(work, this.options.shutdownTimeoutMillis, {
      onTimeout: () =>
        this.reporter.problem('timeouts', 1, `${what} took longer than ${this.options.shutdownTimeoutMillis} ms`),
      onError: (error) => this.reporter.problem('sendErrors', 1, describeError(error)),
    });
  }
}
