// One way for every component to report trouble: its own diag component logger, named running counters, one
// throttle (a report at the 1st, 10th, 100th… of each kind) and one getStats() shape (a plain object of counts).
import { diag, type DiagLogger } from '@opentelemetry/api';

/**
 * Counters of one component. `problems` are the kinds worth a warning (each with the sentence the warning reads);
 * `tallies` are plain running totals (sent, skipped…) that are never reported on their own.
 */
export interface ReporterSpec<P extends string, T extends string> {
  /** The component logger's namespace, e.g. 'tomograph/statsd'. */
  readonly namespace: string;
  readonly problems: Readonly<Record<P, string>>;
  readonly tallies: readonly T[];
}

/** Counts by name; what every component's `getStats()` returns. */
export type Counts<K extends string> = Record<K, number>;

/** Whether a running total just crossed a power of ten: the first problem is always seen, a flood costs a few lines. */
function crossesPowerOfTen(before: number, after: number): boolean {
  return Math.floor(Math.log10(after)) > (before <= 0 ? -1 : Math.floor(Math.log10(before)));
}

export class DiagnosticsReporter<P extends string, T extends string = never> {
  /** The component's logger; its messages carry the namespace, so they need no prefix of their own. */
  readonly logger: DiagLogger;
  private readonly counts: Counts<P | T>;

  constructor(private readonly spec: ReporterSpec<P, T>) {
    this.logger = diag.createComponentLogger({ namespace: spec.namespace });
    const counts = {} as Counts<P | T>;
    for (const tally of spec.tallies) counts[tally] = 0;
    for (const problem of Object.keys(spec.problems) as P[]) counts[problem] = 0;
    this.counts = counts;
  }

  /** Adds to a plain total; never reported. */
  tally(kind: T, count = 1): void {
    this.counts[kind] += count;
  }

  /**
   * Adds `count` problems of `kind`; warns when the total crosses a power of ten, with the latest detail. `every`
   * warns each time instead: for mistakes made once, in a setting, rather than a flood at run time.
   */
  problem(kind: P, count = 1, detail?: string, every = false): void {
    if (!(count > 0)) return;
    const before = this.counts[kind];
    const after = before + count;
    this.counts[kind] = after;
    const message = `${after} ${this.spec.problems[kind]}${detail ? ` (latest: ${detail})` : ''}`;
    // Between the warnings, a debug line: there for whoever turns debug on, no flood for anyone else.
    this.log(every || crossesPowerOfTen(before, after) ? 'warn' : 'debug', message);
  }

  /** A copy of every count, problems and tallies alike. */
  getStats(): Counts<P | T> {
    return { ...this.counts };
  }

  private log(level: 'warn' | 'debug', message: string): void {
    try {
      this.logger[level](message);
    } catch {
      // A diag logger that throws must not turn telemetry trouble into the host's trouble.
    }
  }
}
