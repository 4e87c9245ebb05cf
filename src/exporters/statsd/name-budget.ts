// The bound on distinct metric names one exporter sends, so unbounded note values (SQL text, ids) cannot create
// one Graphite metric each (pure state, no I/O).
import type { StatsdMetric } from './metrics.js';

/** The one metric that counts every metric the budget turned away. */
export const OVERFLOW_METRIC_NAME = 'tomograph.overflow';

/**
 * Remembers the names already admitted. A name seen before is always admitted again; a new one is admitted while
 * fewer than `maxNames` are known and, for a note counter, while its span has fewer than `maxNotesPerSpan` note
 * names. Memory is bounded by `maxNames` keys.
 */
export class NameBudget {
  private readonly known = new Set<string>();
  private readonly notesPerSpan = new Map<string, number>();

  constructor(
    private readonly maxNames: number,
    private readonly maxNotesPerSpan: number,
  ) {}

  /** True when `metric` may be sent under its own name. */
  admit(metric: StatsdMetric): boolean {
    const key = metric.tags.length === 0 ? metric.name : `${metric.name}|${metric.tags.join(',')}`;
    if (this.known.has(key)) return true;
    if (this.known.size >= this.maxNames) return false;
    if (metric.noteOf !== undefined) {
      const notes = this.notesPerSpan.get(metric.noteOf) ?? 0;
      if (notes >= this.maxNotesPerSpan) return false;
      this.notesPerSpan.set(metric.noteOf, notes + 1);
    }
    this.known.add(key);
    return true;
  }

  /** How many distinct names are known. */
  get size(): number {
    return this.known.size;
  }
}
