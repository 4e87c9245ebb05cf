// The bound on distinct metric names one exporter sends, so unbounded note values (SQL text, ids) cannot create
// one Graphite metric each (pure state, no I/O).
import type { StatsdMetric } from './metrics.js';

/** The one metric that counts every metric the budget turned away. */
export const OVERFLOW_METRIC_NAME = 'tomograph.overflow';

/**
 * Remembers the names already admitted. A name seen before is always admitted again; a new one is admitted while
 * fewer than `maxNames` are known, their keys hold fewer than `maxBytes` (string length, names being ASCII), and,
 * for a note counter, while its span has fewer than `maxNotesPerSpan` note names. The caller checks a line's
 * length before asking, so a name too long to send is never remembered.
 */
export class NameBudget {
  private readonly known = new Set<string>();
  private readonly notesPerSpan = new Map<string, number>();
  /** Tag mode: the tag sets (series) seen of each metric name. */
  private readonly seriesByName = new Map<string, Set<string>>();
  private bytes = 0;

  constructor(
    private readonly maxNames: number,
    private readonly maxNotesPerSpan: number,
    private readonly maxBytes: number = Number.POSITIVE_INFINITY,
    private readonly maxSeriesPerMetric: number = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Tag mode's per-metric bound (spanmetrics' `aggregation_cardinality_limit`): true when the tag set of `metric`
   * is known under its name, or fewer than `maxSeriesPerMetric` are (and the bytes bound allows one more). The
   * names themselves are fixed and few, so they do not count against `maxNames`.
   */
  admitSeries(metric: StatsdMetric): boolean {
    const key = metric.tags.join(',');
    let series = this.seriesByName.get(metric.name);
    if (series?.has(key) === true) return true;
    if (series !== undefined && series.size >= this.maxSeriesPerMetric) return false;
    const added = key.length + (series === undefined ? metric.name.length : 0);
    if (this.bytes + added > this.maxBytes) return false;
    if (series === undefined) {
      series = new Set<string>();
      this.seriesByName.set(metric.name, series);
    }
    series.add(key);
    this.bytes += added;
    return true;
  }

  /** True when `metric` may be sent under its own name. */
  admit(metric: StatsdMetric): boolean {
    const key = metric.tags.length === 0 ? metric.name : `${metric.name}|${metric.tags.join(',')}`;
    if (this.known.has(key)) return true;
    if (this.known.size >= this.maxNames) return false;
    const noteOf = metric.noteOf;
    const notes = noteOf === undefined ? 0 : (this.notesPerSpan.get(noteOf) ?? 0);
    if (noteOf !== undefined && notes >= this.maxNotesPerSpan) return false;
    // A span key is remembered once, with its first note name.
    const added = key.length + (noteOf !== undefined && notes === 0 ? noteOf.length : 0);
    if (this.bytes + added > this.maxBytes) return false;
    if (noteOf !== undefined) this.notesPerSpan.set(noteOf, notes + 1);
    this.known.add(key);
    this.bytes += added;
    return true;
  }

  /** Bytes (string length) of the names and span keys remembered. */
  get memoryBytes(): number {
    return this.bytes;
  }

  /** How many distinct names are known. */
  get size(): number {
    return this.known.size;
  }
}
