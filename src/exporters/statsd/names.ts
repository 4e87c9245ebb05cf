// Metric-name building blocks: the legacy name of a span and of a note, and the sanitising that keeps the statsd
// line protocol intact whatever a span holds (pure).

/**
 * Characters that never reach the wire inside a name or tag: anything outside printable ASCII (control characters
 * including `\n`, `\r`, NUL, tab, space, DEL, and every non-ASCII code point) and the protocol's separators —
 * `:` (name/value), `|` (fields), `@` (sample rate), `#` (DogStatsD tags), `,` (tag lists, Telegraf tags) and `;`
 * (statsd 0.9 reads `name;k=v` as Graphite tags). Each becomes one `_`.
 */
const UNSAFE_IN_NAME = /[^\x21-\x7E]|[:|@#,;]/gu;
/** Tag values also lose `=` (Telegraf's key/value separator) and `\` (it escapes the next Telegraf separator). */
const UNSAFE_IN_TAG = /[^\x21-\x7E]|[:|@#,;=\\]/gu;

/** A name with every protocol-breaking character replaced by `_`. `.`, `/`, `-` and letter case are kept. */
export function sanitizeName(name: string): string {
  return name.replace(UNSAFE_IN_NAME, '_');
}

/** A tag key or value with every character that could break DogStatsD or Telegraf tags replaced by `_`. */
export function sanitizeTagPart(part: string): string {
  return part.replace(UNSAFE_IN_TAG, '_');
}

/** A prefix as given, sanitised, with the `.` that separates it from the name. */
export function normalizePrefix(prefix: string): string {
  if (prefix === '') return '';
  const clean = sanitizeName(prefix);
  return clean.endsWith('.') ? clean : `${clean}.`;
}

/**
 * The original's server name: `<service> <address> <port>` with the dots of the address made dashes, so that an
 * IP address or host name stays one Graphite level. (Spaces become dashes later, over the whole name.)
 */
function legacyServer(serviceName: string, address: string, port: string): string {
  return `${serviceName} ${address.replaceAll('.', '-')} ${port}`;
}

/** The original's timer name: `<server>.<span name>`, every space made a dash. */
export function legacyTimerName(serviceName: string, address: string, port: string, spanName: string): string {
  return `${legacyServer(serviceName, address, port)}.${spanName}`.replaceAll(' ', '-');
}

/** The original's counter name for a note: `<note's server>.<span name>.<note value>`, every space made a dash. */
export function legacyNoteName(
  serviceName: string,
  address: string,
  port: string,
  spanName: string,
  value: string,
): string {
  return `${legacyServer(serviceName, address, port)}.${spanName}.${value}`.replaceAll(' ', '-');
}
