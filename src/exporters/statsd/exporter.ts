// StatsdSpanExporter: the OpenTelemetry SpanExporter lifecycle and its I/O through hot-shots — a bounded queue, a
// paced pump that hands datagrams to the socket a few at a time, and a shutdown that always ends in bounded time.
import { ExportResultCode, type ExportResult } from '../../sdk-line/types.js';
import { StatsD } from 'hot-shots';
import { TomographError } from '../../errors.js';
import { metricLineLength, spanToMetrics, type MappingOptions, type MappingProblems, type StatsdMetric } from './metrics.js';
import { NameBudget, OVERFLOW_METRIC_NAME } from './name-budget.js';
import { normalizePrefix } from './names.js';
import { resolveStatsdOptions, type ResolvedStatsdOptions, type StatsdSpanExporterOptions } from './options.js';
import { ProblemReport, type StatsdExporterStats } from './problems.js';
import { readSpanFacts, type ExportableSpan } from './span-facts.js';
import { settleWithin } from '../deadline.js';

/** One export call waiting in the queue: its spans, how far the pump got, and whom to answer. */
interface ExportJob {
  readonly spans: readonly ExportableSpan[];
  next: number;
  readonly callback: (result: ExportResult) => void;
}

/** A span's name for a diagnostic, cut short: names may be as long as a SQL statement. */
function spanLabel(span: ExportableSpan): string {
  try {
    return String(span.name).slice(0, 80);
  } catch {
    return '?';
  }
}

/** The hot-shots internals a forced close needs; not in its typings, read defensively. */
interface ClientInternals {
  intervalHandle?: ReturnType<typeof setInterval>;
  socket?: { close?: () => void };
}

/**
 * An OpenTelemetry `SpanExporter` that turns each finished span into statsd metrics: by default the Python
 * tomograph's legacy names (a timer per span, a counter per note, `start` and `stop` included), sent with hot-shots.
 * Works in a Simple or Batch span processor of SDK 1.x and 2.x and in NodeSDK. It never throws into the host and
 * never writes to the console: problems are counted (see {@link StatsdSpanExporter.getStats}) and reported through
 * `diag`.
 */
export class StatsdSpanExporter {
  private readonly options: ResolvedStatsdOptions;
  private readonly client: StatsD;
  private readonly ownsClient: boolean;
  private readonly mapping: MappingOptions;
  private readonly budget: NameBudget;
  private readonly overflowName: string;
  private readonly problems = new ProblemReport();
  private readonly jobs: ExportJob[] = [];
  private queuedSpans = 0;
  private pumping = false;
  private stalled = false;
  private idleWaiters: Array<() => void> = [];
  private shutdownPromise: Promise<void> | undefined;
  /** The callback of every send: routes errors of an unbuffered client (ours or the user's) here, not to the console. */
  private readonly onSent = (error?: Error): void => {
    if (error) this.onSendError(error);
  };
  /** Whether the exporter's own client was closed, by hot-shots' close() or by a forced close; never both. */
  private clientState: 'open' | 'closing' | 'closed' = 'open';

  /** @throws TomographError('INVALID_OPTION') when an option is not what it should be. */
  constructor(options?: StatsdSpanExporterOptions) {
    this.options = resolveStatsdOptions(options);
    const prefix = normalizePrefix(this.options.prefix);
    this.mapping = {
      naming: this.options.naming,
      notes: this.options.notes,
      fractionalDurations: this.options.fractionalDurations,
      prefix,
    };
    this.budget = new NameBudget(this.options.maxMetricNames, this.options.maxNoteNamesPerSpan);
    this.overflowName = `${prefix}${OVERFLOW_METRIC_NAME}`;
    this.ownsClient = this.options.client === undefined;
    this.client = this.options.client ?? this.createClient();
  }

  private createClient(): StatsD {
    const { datadog } = this.options;
    try {
      return new StatsD({
        host: this.options.host,
        port: this.options.port,
        protocol: this.options.protocol,
        ...(this.options.path === undefined ? {} : { path: this.options.path }),
        maxBufferSize: this.options.maxDatagramBytes,
        bufferFlushInterval: this.options.flushIntervalMillis,
        telegraf: this.options.tagFormat === 'telegraf',
        // Without a handler hot-shots writes errors to the console and may throw a cached DNS error from a send.
        errorHandler: (error: Error) => this.onSendError(error),
        // hot-shots switches Datadog mode on from DD_* variables by itself; only the user may ask for it.
        datadog,
        includeDataDogTags: datadog,
        includeDatadogTelemetry: datadog,
        // One lookup per minute rather than one per datagram when the host is a name.
        cacheDns: true,
      });
    } catch (cause) {
      throw new TomographError('INVALID_OPTION', `StatsdSpanExporter: cannot create the statsd client: ${String(cause)}`, { cause });
    }
  }

  /**
   * Queues the spans and answers once their metrics are handed to the socket (SUCCESS), or at once with FAILED
   * after shutdown or when the queue is full. Never throws and never sends synchronously: a processor calling it
   * from the application's own loop pays only for the push.
   */
  export(spans: readonly ExportableSpan[], resultCallback: (result: ExportResult) => void): void {
    const list = Array.isArray(spans) ? spans : [];
    if (this.shutdownPromise !== undefined) {
      this.problems.add('spansDropped', list.length, 'export after shutdown');
      this.answer(resultCallback, { code: ExportResultCode.FAILED, error: new Error('StatsdSpanExporter is shut down') });
      return;
    }
    if (this.stalled || this.queuedSpans + list.length > this.options.maxQueuedSpans) {
      const why = this.stalled ? 'the statsd transport is not taking data' : `more than ${this.options.maxQueuedSpans} spans queued`;
      this.problems.add('spansDropped', list.length, why);
      this.answer(resultCallback, { code: ExportResultCode.FAILED, error: new Error(`StatsdSpanExporter: ${why}`) });
      return;
    }
    this.jobs.push({ spans: list, next: 0, callback: resultCallback });
    this.queuedSpans += list.length;
    this.schedulePump();
  }

  /** Sends everything queued and buffered; resolves within `shutdownTimeoutMillis`, never rejects. */
  forceFlush(): Promise<void> {
    return this.withinDeadline(this.drain(), 'forceFlush');
  }

  /**
   * Flushes, then closes the client it made (not one passed in). Resolves within `shutdownTimeoutMillis` even when a
   * TCP peer refuses or never answers; later exports answer FAILED. Idempotent.
   */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.withinDeadline(
      this.drain().then(() => (this.ownsClient ? this.closeClient() : undefined)),
      'shutdown',
    ).then(() => {
      // After a timeout, spans may still wait and the socket may still hold a connection attempt or a timer: drop
      // the former (counted) and end the latter, so nothing lingers after shutdown.
      this.dropQueued('shutdown ended before they were sent');
      if (this.ownsClient) this.forceCloseClient();
    });
    return this.shutdownPromise;
  }

  /** Running totals: what was sent, and every drop, clamp and error, by kind. */
  getStats(): Readonly<StatsdExporterStats> {
    return { ...this.problems.stats };
  }

  private answer(callback: (result: ExportResult) => void, result: ExportResult): void {
    try {
      callback(result);
    } catch (error) {
      // A processor's callback that throws must not escape from a timer callback of ours into the host.
      this.onSendError(error);
    }
  }

  private schedulePump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => this.pump());
  }

  /**
   * One turn: send up to `datagramsPerTurn` datagrams' worth of lines, hand them to the socket, answer the exports
   * that turn completed, and yield to the event loop before the next turn. Loopback UDP drops whatever a burst
   * pushes past the receiver's buffer; releasing a few datagrams per turn is what lets a daemon keep up.
   */
  private pump(): void {
    const completed: ExportJob[] = [];
    const turnBytes = this.options.datagramsPerTurn * this.options.maxDatagramBytes;
    let bytes = 0;
    while (this.jobs.length > 0 && bytes < turnBytes) {
      const job = this.jobs[0]!;
      while (job.next < job.spans.length && bytes < turnBytes) {
        // Advance first: a span that cannot be sent must never be retried forever.
        job.next += 1;
        bytes += this.sendSpan(job.spans[job.next - 1]!);
      }
      if (job.next >= job.spans.length) {
        this.jobs.shift();
        this.queuedSpans -= job.spans.length;
        completed.push(job);
      }
    }
    // A datagram transport mid-export only pauses: hot-shots already sent every full datagram, and flushing the
    // partial one at each turn would send more, emptier datagrams. An export's last turn, and every TCP turn (the
    // stream's backpressure is what paces it), waits until the client's buffer is handed to the socket.
    const mustFlush = completed.length > 0 || this.jobs.length === 0 || this.options.protocol === 'tcp' || this.options.client !== undefined;
    const continueWith = mustFlush ? this.handOff.bind(this) : this.pause.bind(this);
    continueWith(() => {
      for (const job of completed) this.answer(job.callback, { code: ExportResultCode.SUCCESS });
      if (this.stalled) this.dropQueued('the statsd transport is not taking data');
      if (this.jobs.length > 0) {
        this.pump();
        return;
      }
      this.pumping = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    });
  }

  /** Sends one span's metrics; returns about how many bytes they add to the wire. */
  private sendSpan(span: ExportableSpan): number {
    const mappingProblems: MappingProblems = { clampedDurations: 0, namerErrors: 0 };
    try {
      const metrics = spanToMetrics(readSpanFacts(span, this.options.hostName), this.mapping, mappingProblems);
      if (mappingProblems.clampedDurations > 0) this.problems.add('durationsClamped', mappingProblems.clampedDurations, `span '${spanLabel(span)}'`);
      if (mappingProblems.namerErrors > 0) this.problems.add('namingErrors', mappingProblems.namerErrors, `span '${spanLabel(span)}'`);
      let bytes = 0;
      for (const metric of metrics) bytes += this.sendMetric(metric);
      this.problems.stats.spansSent += 1;
      return bytes;
    } catch (error) {
      // Mapping reads defensively and sends route errors to callbacks, so only a span no reader can make sense of
      // (or a bug) gets here: drop that one span, counted, and go on with the others.
      this.problems.add('spansDropped', 1, `unreadable span: ${String(error)}`);
      return 0;
    }
  }

  private sendMetric(metric: StatsdMetric): number {
    if (!this.budget.admit(metric)) {
      this.problems.add('metricsOverflowed', 1, metric.name);
      return this.write({ name: this.overflowName, type: 'c', value: 1, tags: [] });
    }
    return this.write(metric);
  }

  private write(metric: StatsdMetric): number {
    const length = metricLineLength(metric);
    if (length > this.options.maxDatagramBytes) {
      this.problems.add('metricsOversized', 1, `${length} bytes: ${metric.name.slice(0, 80)}…`);
      return 0;
    }
    // The tags list is the metric's own, made for this send and never changed after: no copy is needed. (The
    // client's typings ask for a mutable array; hot-shots only reads it.)
    const tags = metric.tags.length === 0 ? undefined : (metric.tags as string[]);
    if (metric.type === 'ms') this.client.timing(metric.name, metric.value, 1, tags, this.onSent);
    else this.client.increment(metric.name, metric.value, 1, tags, this.onSent);
    this.problems.stats.metricsSent += 1;
    return length + 1;
  }

  /**
   * Flushes the client and continues once every datagram of the turn is handed to the socket. A transport that
   * does not take data within `shutdownTimeoutMillis` (a TCP peer that never answers) marks the exporter stalled:
   * exports then fail fast instead of piling lines up in the socket's memory, until the transport recovers.
   */
  private handOff(next: () => void): void {
    let done = false;
    const proceed = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.pause(next);
    };
    const timer = setTimeout(() => {
      this.stalled = true;
      this.problems.add('timeouts', 1, 'statsd transport stalled');
      proceed();
    }, this.options.shutdownTimeoutMillis);
    timer.unref();
    this.flushClient((error) => {
      if (error) this.onSendError(error);
      this.stalled = false;
      proceed();
    });
  }

  /** Waits `turnIntervalMillis` when more is queued, else only yields to the event loop. */
  private pause(next: () => void): void {
    const millis = this.options.turnIntervalMillis;
    if (millis === 0 || this.jobs.length === 0) setImmediate(next);
    else setTimeout(next, millis);
  }

  private flushClient(callback: (error?: Error) => void): void {
    // A user's client from an older hot-shots may lack flush(callback); then its own interval sends the buffer.
    if (typeof this.client.flush !== 'function') {
      callback();
      return;
    }
    try {
      this.client.flush((error?: Error) => callback(error ?? undefined));
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private dropQueued(why: string): void {
    const jobs = this.jobs.splice(0);
    for (const job of jobs) {
      this.problems.add('spansDropped', job.spans.length - job.next, why);
      this.answer(job.callback, { code: ExportResultCode.FAILED, error: new Error(`StatsdSpanExporter: ${why}`) });
    }
    this.queuedSpans = 0;
  }

  /** Resolves when the queue is empty and the client's buffer handed to the socket. */
  private drain(): Promise<void> {
    const idle = this.pumping ? new Promise<void>((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
    return idle.then(() => new Promise<void>((resolve) => this.flushClient((error) => {
      if (error) this.onSendError(error);
      resolve();
    })));
  }

  private closeClient(): Promise<void> {
    if (this.clientState !== 'open') return Promise.resolve();
    this.clientState = 'closing';
    return new Promise<void>((resolve) => {
      try {
        this.client.close((error?: Error) => {
          if (error) this.onSendError(error);
          resolve();
        });
      } catch (error) {
        this.onSendError(error);
        resolve();
      }
    });
  }

  /**
   * Ends the client's timer and socket when shutdown's bound passed before close() was reached (a flush that never
   * completed). Once hot-shots' close() has begun the socket is its to close: closing a Unix datagram socket twice
   * aborts the process (unix-dgram asserts), and a TCP close that never called back has already destroyed it.
   */
  private forceCloseClient(): void {
    if (this.clientState !== 'open') return;
    this.clientState = 'closed';
    const internals = this.client as unknown as ClientInternals;
    try {
      if (internals.intervalHandle !== undefined) clearInterval(internals.intervalHandle);
      internals.socket?.close?.();
    } catch (error) {
      this.onSendError(error);
    }
  }

  private withinDeadline(work: Promise<void>, what: string): Promise<void> {
    return settleWithin(work, this.options.shutdownTimeoutMillis, {
      onTimeout: () => this.problems.add('timeouts', 1, `${what} took longer than ${this.options.shutdownTimeoutMillis} ms`),
      onError: (error) => this.onSendError(error),
    });
  }

  private onSendError(error: unknown): void {
    const detail = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}` : String(error);
    this.problems.add('sendErrors', 1, detail);
  }
}
