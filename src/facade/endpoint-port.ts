// The endpoint port a facade call was given, read as the original read it: `int(port)`, so a number or its
// decimal text. The original's own `start_http` passed the port as text (from `request.host`), and the statsd
// names carry `str(int(port))`: '80' and 80 make the same name.

/** Decimal text as Python's `int()` reads it in Python 2 and 3 alike: spaces around, an optional `+`, digits. */
const DECIMAL_TEXT = /^\s*\+?(\d{1,10})\s*$/;
const MAX_PORT = 65535;

/**
 * The port `value` names: a whole number from 0 to 65535, given as a number or as decimal text (`'80'`,
 * `' 080 '`); undefined for anything else (the caller reports it and records its default).
 */
export function endpointPort(value: unknown): number | undefined {
  let port: number | undefined;
  if (typeof value === 'number') port = value;
  else if (typeof value === 'string') {
    const digits = DECIMAL_TEXT.exec(value)?.[1];
    if (digits !== undefined) port = Number(digits);
  }
  return port !== undefined && Number.isInteger(port) && port >= 0 && port <= MAX_PORT ? port : undefined;
}
