// What every benchmark reports, and the one table `npm run bench` prints: each figure is a ratio against a
// baseline measured in the same process, in the same run.

export interface BenchRow {
  /** What was measured. */
  name: string;
  /** What it is compared with. */
  baseline: string;
  /** The measured figure for tomograph. */
  subject: number;
  /** The same figure for the baseline. */
  base: number;
  /** Unit of subject and base. */
  unit: string;
  /** subject / base, or a ratio the row explains in its note. */
  ratio: number;
  note?: string;
}

function figure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

/** The rows as a Markdown table, ready for the terminal and for README.md. */
export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'tomograph', 'baseline', 'ratio', 'note'];
  const body = rows.map((r) => [
    r.name,
    `${figure(r.subject)} ${r.unit}`,
    `${figure(r.base)} ${r.unit} (${r.baseline})`,
    `${r.ratio.toFixed(2)}×`,
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** Runs `fn` `iterations` times and returns the operations per second. */
export function opsPerSecond(fn: () => void, iterations: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const nanos = Number(process.hrtime.bigint() - started);
  return (iterations * 1e9) / nanos;
}

/** Median of the numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Measures `subject` and `baseline` in alternating rounds (so that drift in the machine hits both alike) and
 * returns the median ops/s of each.
 */
export function compare(
  subject: () => void,
  baseline: () => void,
  iterations: number,
  rounds = 7,
): { subject: number; base: number; costRatios: number[] } {
  opsPerSecond(subject, iterations);
  opsPerSecond(baseline, iterations);
  const s: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < rounds; round++) {
    s.push(opsPerSecond(subject, iterations));
    b.push(opsPerSecond(baseline, iterations));
  }
  // The cost ratio of each round (time per operation of the subject over the baseline's), for the spread.
  return { subject: median(s), base: median(b), costRatios: s.map((rate, i) => b[i]! / rate) };
}

/** A row comparing two rates (ops/s) as a cost ratio: the time per operation of `subject` over the baseline's. */
export function costRow(
  name: string,
  baseline: string,
  rates: { subject: number; base: number; costRatios?: number[] },
  note: string,
): BenchRow {
  const spread =
    rates.costRatios === undefined || rates.costRatios.length === 0
      ? ''
      : `; rounds ${Math.min(...rates.costRatios).toFixed(2)}–${Math.max(...rates.costRatios).toFixed(2)}`;
  return {
    name,
    baseline,
    subject: rates.subject,
    base: rates.base,
    unit: 'pairs/s',
    ratio: rates.base / rates.subject,
    note: `${note}${spread}`,
  };
}
