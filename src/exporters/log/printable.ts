// Text from spans made safe for a log line: a span, service or note name comes from the app (or from a request),
// and a raw newline in it would forge a log line, an ANSI escape would rewrite the terminal.

// C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and the backslash that starts our
// escapes (so an escape in the output always means one was made).
// eslint-disable-next-line no-control-regex -- control characters are exactly what this matches
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/g;

function escapeOne(char: string): string {
  if (char === '\\') return '\\\\';
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control character escaped (`\n`, `\u001b`, …): one line, no terminal escapes. */
export function printable(text: string): string {
  return UNPRINTABLE.test(text) ? text.replace(UNPRINTABLE, escapeOne) : text;
}
