// A unified diff of two texts (pure), for --dry-run: Myers' shortest edit script over lines, in hunks with three
// lines of context, as `diff -u` and `git apply` read them.

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

const CONTEXT = 3;

// A last line with no newline after it differs from the same text with one (a diff says so in a line of its own).
const NO_NEWLINE = '\u0000no newline';

function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else lines[lines.length - 1] += NO_NEWLINE;
  return lines;
}

/** A diff line; after a last line with no newline, the marker `git apply` and `patch` read. */
function printed(kind: string, line: string): string {
  return line.endsWith(NO_NEWLINE)
    ? `${kind}${line.slice(0, -NO_NEWLINE.length)}\n\\ No newline at end of file`
    : `${kind}${line}`;
}

/** The shortest edit script from `a` to `b` (E. W. Myers, 1986). */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d += 1) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && next[offset + k - 1]! < next[offset + k + 1]!)
          ? next[offset + k + 1]!
          : next[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d -= 1) {
    const at = trace[d]!;
    const k = x - y;
    const previousK = d === 0 ? 0 : k === -d || (k !== d && at[offset + k - 1]! < at[offset + k + 1]!) ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : at[offset + previousK]!;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push({ kind: ' ', line: a[x - 1]! });
      x -= 1;
      y -= 1;
    }
    if (d > 0) {
      if (x === previousX) ops.push({ kind: '+', line: b[y - 1]! });
      else ops.push({ kind: '-', line: a[x - 1]! });
    }
    x = previousX;
    y = previousY;
  }
  return ops.reverse();
}

/** `diff -u` of `before` and `after`, labelled `a/<path>` and `b/<path>`; empty when they are equal. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const ops = editScript(linesOf(before), linesOf(after));
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let index = 0;
  let oldLine = 1;
  let newLine = 1;
  while (index < ops.length) {
    // Skip to the next change, keeping up to CONTEXT lines before it.
    let change = index;
    while (change < ops.length && ops[change]!.kind === ' ') change += 1;
    if (change === ops.length) break;
    const start = Math.max(index, change - CONTEXT);
    oldLine += start - index;
    newLine += start - index;
    // Extend the hunk while changes are at most 2 * CONTEXT lines apart.
    let end = change;
    let quiet = 0;
    for (let i = change; i < ops.length; i += 1) {
      if (ops[i]!.kind === ' ') quiet += 1;
      else quiet = 0;
      if (quiet > 2 * CONTEXT) break;
      end = i + 1;
    }
    while (end > change && ops[end - 1]!.kind === ' ' && end - change > 0 && countTrailing(ops, end) > CONTEXT)
      end -= 1;
    const hunk = ops.slice(start, end);
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(
      `@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`,
    );
    for (const op of hunk) out.push(printed(op.kind, op.line));
    oldLine += oldCount;
    newLine += newCount;
    index = end;
  }
  return `${out.join('\n')}\n`;
}

function countTrailing(ops: readonly Op[], end: number): number {
  let count = 0;
  for (let i = end - 1; i >= 0 && ops[i]!.kind === ' '; i -= 1) count += 1;
  return count;
}
