// The 'log' backend: finished spans printed readably, as a waterfall per trace (the default) or a line per span.
// For developers without Zipkin; a write that fails is reported through diag, never thrown.
import { TraceFlags } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult, type SdkSpanProcessor } from '../../sdk-line/types.js';
import { DiagnosticsReporter } from '../../diagnostics/reporter.js';
import { optionChecks } from '../../option-checks.js';
import { hasRemoteParent, spanParentId } from '../../otel-internals/index.js';
import type { FinishedSpan } from '../readable-span.js';
import { renderSpanLine, renderWaterfall, type WaterfallStyle } from './waterfall.js';

/** Options of {@link LogSpanExporter}. */
export interface LogExporterOptions extends WaterfallStyle {
  /**
   * 'waterfall': one picture per trace when its local root span ends; 'lines': one line per span. @default 'waterfall'
   */
  format?: 'waterfall' | 'lines';
  /** Where the text goes. @default text => process.stdout.write(text) */
  write?: (text: string) => void;
  /**
   * How many unfinished traces a waterfall waits for at most; past that a trace's spans are printed as lines
   * at once (counted and reported through diag). @default 1000
   */
  maxPendingTraces?: number;
  /**
   * How long a trace whose spans here hang under a remote parent (a server span of a request from elsewhere) waits
   * for its own root, in case that root is in this process too (a client calling its own server), before it is
   * printed without it. A trace whose root ends here is printed when the root ends. Under configure()'s log backend,
   * which knows which spans are still open, a trace is printed as soon as none of its spans is open, and this wait
   * does not apply. @default 200
   */
  waitForRootMillis?: number;
}

const LOG_OPTION_KEYS = [
  'format',
  'write',
  'maxPendingTraces',
  'waitForRootMillis',
  'barWidth',
  'showTags',
  'defaultServiceName',
];

/** The spans of one trace waiting to be printed, and the timer that prints them without their root. */
interface PendingTrace {
  spans: FinishedSpan[];
  timer?: ReturnType<typeof setTimeout>;
}

// Named as configure()'s `log` option, which is where users give them.
const { invalidOption, wholeNumber, onlyKnownKeys } = optionChecks({ prefix: '', integer: 'a whole number' });

/** A SpanExporter that prints finished spans for a person to read. */
export class LogSpanExporter {
  private readonly format: 'waterfall' | 'lines';
  private readonly write: (text: string) => void;
  private readonly style: WaterfallStyle;
  private readonly maxPendingTraces: number;
  private readonly waitForRootMillis: number;
  private readonly pending = new Map<string, PendingTrace>();
  /**
   * Spans started and not yet ended, per trace, when a processor tells this exporter about starts
   * ({@link logSpanProcessor}); undefined otherwise, and then a trace without its root here waits on a timer.
   */
  private open: Map<string, number> | undefined;
  private stopped = false;
  private readonly reporter = new DiagnosticsReporter<'overflowed' | 'printErrors'>({
    component: 'log backend',
    problems: {
      overflowed: {
        one: 'span printed as a line at once, because maxPendingTraces traces were waiting for their root span',
        many: 'spans printed as a line at once, because maxPendingTraces traces were waiting for their root span',
      },
      printErrors: {
        one: 'time the log backend failed to print spans',
        many: 'times the log backend failed to print spans',
      },
    },
    tallies: [],
  });

  constructor(options: LogExporterOptions = {}) {
    onlyKnownKeys(options, LOG_OPTION_KEYS, 'log.');
    const format = options.format ?? 'waterfall';
    if (format !== 'waterfall' && format !== 'lines') {
      throw invalidOption(`log.format must be 'waterfall' or 'lines', got ${JSON.stringify(format)}`);
    }
    if (options.write !== undefined && typeof options.write !== 'function') {
      throw invalidOption('log.write must be a function taking the text to print');
    }
    const max = wholeNumber(options.maxPendingTraces, 'log.maxPendingTraces', { min: 0, fallback: 1000 });
    this.format = format;
    this.write = options.write ?? ((text) => void process.stdout.write(text));
    this.style = {
      barWidth: options.barWidth,
      showTags: options.showTags,
      defaultServiceName: options.defaultServiceName,
    };
    this.maxPendingTraces = max;
    this.waitForRootMillis = wholeNumber(options.waitForRootMillis, 'log.waitForRootMillis', {
      min: 0,
      max: 60_000,
      fallback: 200,
    });
  }

  export(spans: FinishedSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('LogSpanExporter is shut down') });
      return;
    }
    try {
      for (const span of spans) this.accept(span);
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      this.reporter.problem('printErrors', 1, String(error));
      resultCallback({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  private accept(span: FinishedSpan): void {
    if (this.format === 'lines') {
      this.write(renderSpanLine(span, this.style.defaultServiceName));
      return;
    }
    const traceId = span.spanContext().traceId;
    let trace = this.pending.get(traceId);
    if (trace === undefined) {
      if (this.pending.size >= this.maxPendingTraces) {
        this.reporter.problem('overflowed', 1, `log backend has ${this.pending.size} traces waiting`);
        this.write(renderSpanLine(span, this.style.defaultServiceName));
        return;
      }
      trace = { spans: [] };
      this.pending.set(traceId, trace);
    }
    trace.spans.push(span);
    const stillOpen = this.ended(traceId);
    // The trace's root ends last in the usual case: its whole trace is here, whichever export brought each span
    // (spans ending after it print on their own). A span under a remote parent is the root of its part only: the
    // trace's root may still come (a client of this process calling its own server), so that part waits for it
    // rather than printing the trace in two pictures: until no span of the trace is open here when the processor
    // says which are, else a short, bounded time.
    if (spanParentId(span) === undefined || stillOpen === 0) this.printTrace(traceId);
    else if (stillOpen === undefined && hasRemoteParent(span) && trace.timer === undefined) {
      // Not unref'd: a trace printed just before a natural exit still shows; the wait is short and bounded.
      trace.timer = setTimeout(() => this.printGuarded(traceId), this.waitForRootMillis);
    }
  }

  /** Counts a span that will be exported here (sampled) as open, for {@link logSpanProcessor}. */
  spanStarted(span: { spanContext(): { traceId: string; traceFlags: number } }): void {
    const { traceId, traceFlags } = span.spanContext();
    if ((traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.open ??= new Map();
    this.open.set(traceId, (this.open.get(traceId) ?? 0) + 1);
  }

  /** One span of `traceId` ended: how many remain open, or undefined when starts are not known. */
  private ended(traceId: string): number | undefined {
    if (this.open === undefined) return undefined;
    const left = (this.open.get(traceId) ?? 1) - 1;
    if (left > 0) this.open.set(traceId, left);
    else this.open.delete(traceId);
    return left;
  }

  private printTrace(traceId: string): void {
    const trace = this.pending.get(traceId);
    this.pending.delete(traceId);
    if (trace === undefined) return;
    if (trace.timer !== undefined) clearTimeout(trace.timer);
    if (trace.spans.length > 0) this.write(renderWaterfall(trace.spans, this.style));
  }

  /** printTrace from a timer, where a throwing write must be reported, not thrown. */
  private printGuarded(traceId: string): void {
    try {
      this.printTrace(traceId);
    } catch (error) {
      this.reporter.problem('printErrors', 1, String(error));
    }
  }

  /** Running totals: spans printed as lines at once because `maxPendingTraces` traces were already waiting. */
  getStats(): { overflowed: number; pendingTraces: number } {
    return { overflowed: this.reporter.getStats().overflowed, pendingTraces: this.pending.size };
  }

  /** Prints the traces still waiting for their root span. */
  forceFlush(): Promise<void> {
    try {
      for (const traceId of [...this.pending.keys()]) this.printTrace(traceId);
    } catch (error) {
      this.reporter.problem('printErrors', 1, String(error));
    }
    return Promise.resolve();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.stopped = true;
  }
}

/**
 * The log backend as configure() installs it: the line's SimpleSpanProcessor in front of `exporter`, telling it
 * which spans have started, so that a trace is printed once no span of it is open in this process (one picture for
 * a client calling its own server, whatever the timing) rather than after `waitForRootMillis`.
 */
export function logSpanProcessor(simple: SdkSpanProcessor, exporter: LogSpanExporter): SdkSpanProcessor {
  return {
    onStart: (span, parentContext) => {
      exporter.spanStarted(span as { spanContext(): { traceId: string; traceFlags: number } });
      simple.onStart(span, parentContext);
    },
    onEnd: (span) => simple.onEnd(span),
    forceFlush: () => simple.forceFlush(),
    shutdown: () => simple.shutdown(),
  };
}
