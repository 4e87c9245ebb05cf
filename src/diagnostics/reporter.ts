// One way for every component to report trouble: one line shape (`tomograph: <component>: <count> <what>`, the
// prefix every other tomograph diag line has), named running counters, one throttle (a report at the 1st, 10th,
// 100th… of each kind), one getStats() shape (a plain object of counts), and, for the kinds that are a developer's
// mistake, one process warning the first time (process-warning.ts).
import { diag } from '@opentelemetry/api';
import { warnOnce } from './process-warning.js';

/** How one kind of problem reads, and whether it is a mistake worth a process warning. */
export interface ProblemSpec {
  /** After a count of one: 'error sending to statsd'. */
  readonly one: string;
  /** After any other count: 'errors sending to statsd'. */
  readonly many: string;
  /**
   * For a developer's mistake (a host that does not resolve, a function of theirs that throws, a setting that is
   * ignored): the kind of the process warning told the first time, `TOMOGRAPH_<warning>`. Absent for what happens
   * to a working setup (a drop under load, a peer that went away), which stays in diag and getStats().
   */
  readonly warning?: string;
}

/**
 * Counters of one component. `problems` are the kinds worth a warning; `tallies` are plain running totals (sent,
 * skipped…) that are never reported on their own.
 */
export interface ReporterSpec<P extends string, T extends string> {
  /** Who reports, after the 'tomograph: ' prefix, e.g. 'statsd exporter'. */
  readonly component: string;
  readonly problems: Readonly<Record<P, ProblemSpec>>;
  readonly tallies: readonly T[];
}

/** Counts by name; what every component's `getStats()` returns. */
export type Counts<K extends string> = Record<K, number>;

/** Whether a running total just crossed a power of ten: the first problem is always seen, a flood costs a few lines. */
function crossesPowerOfTen(before: number, after: number): boolean {
  return Math.floor(Math.log10(after)) > (before <= 0 ? -1 : Math.floor(Math.log10(before)));
}

export class DiagnosticsReporter<P extends string, T extends string = never> {
  private readonly counts: Counts<P | T>;

  constructor(private readonly spec: ReporterSpec<P, T>) {
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
    const problem = this.spec.problems[kind];
    const what = `${this.spec.component}: ${after} ${after === 1 ? problem.one : problem.many}${detail ? ` (latest: ${detail})` : ''}`;
    // Between the warnings, a debug line: there for whoever turns debug on, no flood for anyone else.
    this.log(every || crossesPowerOfTen(before, after) ? 'warn' : 'debug', `tomograph: ${what}`);
    if (problem.warning !== undefined) warnOnce(problem.warning, what);
  }

  /** A copy of every count, problems and tallies alike. */
  getStats(): Counts<P | T> {
    return { ...this.counts };
  }

  private log(level: 'warn' | 'debug', message: string): void {
    try {
      diag[level](message);
    } catch {
      // A diag logger that throws must not turn telemetry trouble into the host's trouble.
    }
  }
}
