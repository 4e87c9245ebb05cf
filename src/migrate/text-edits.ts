// Text edits spliced into a file's original text, and the indentation of the code they write. Only the ranges an
// edit covers change; everything else is kept byte for byte.

/** Replace `[start, end)` of the text with `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies non-overlapping edits to `source` (edits are given as positions in `source`). */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = source;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.end > limit) throw new Error(`overlapping edits at ${edit.start}-${edit.end}`);
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}

/** Applies edits that lie inside `[start, end)` of `source` and returns that range's new text. */
export function editedRange(source: string, start: number, end: number, edits: readonly TextEdit[]): string {
  const inside = edits.filter((edit) => edit.start >= start && edit.end <= end);
  return applyEdits(
    source.slice(start, end),
    inside.map((edit) => ({ ...edit, start: edit.start - start, end: edit.end - start })),
  );
}

/** The whitespace that starts the line `position` is on. */
export function indentAt(source: string, position: number): string {
  const lineStart = source.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

/** One level of indentation as the file writes it: a tab, or the smallest step of spaces (2 when unsure). */
export function indentUnit(source: string): string {
  let smallest = Infinity;
  for (const line of source.split('\n')) {
    const lead = /^([ \t]+)\S/.exec(line);
    if (lead === null) continue;
    // JSDoc continuation lines (` * …`) are indented by one space and say nothing about the file's step.
    if (line.trimStart().startsWith('*')) continue;
    if (lead[1]!.startsWith('\t')) return '\t';
    smallest = Math.min(smallest, lead[1]!.length);
  }
  return smallest >= 2 && smallest <= 8 ? ' '.repeat(smallest) : '  ';
}

/** The range of a whole statement with its own lines, so that deleting it leaves no blank line behind. */
export function statementLines(source: string, start: number, end: number): { start: number; end: number } {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = source.indexOf('\n', end);
  const before = source.slice(lineStart, start);
  const after = source.slice(end, lineEnd === -1 ? source.length : lineEnd);
  if (before.trim() === '' && after.trim() === '')
    return { start: lineStart, end: lineEnd === -1 ? source.length : lineEnd + 1 };
  return { start, end };
}
