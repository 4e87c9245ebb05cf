// What happens when the facade is misused: by default a `diag` warning (and, the first time of each kind, a process
// warning TOMOGRAPH_<code>) and the call does what it safely can; in strict mode (for an application's own tests) a
// TomographError is thrown instead.
import { diag } from '@opentelemetry/api';
import { warnOnce } from '../diagnostics/process-warning.js';
import { isTomographError, TomographError, type TomographErrorCode } from '../errors.js';

let strict = false;

/**
 * Turns strict mode on or off. In strict mode facade misuse (stopping a name that is not open, a tag value of
 * the wrong type, …) throws a {@link TomographError}; otherwise it is reported through OpenTelemetry's `diag`
 * and never thrown. `configure({ strict })` sets the same switch.
 */
export function setStrictMode(enabled: boolean): void {
  strict = enabled === true;
}

/**
 * `value` as text, for a value of the wrong type that the facade still records. Never throws: String() does on
 * an object without a prototype or with a throwing toString().
 */
export function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return `[${typeof value}]`;
  }
}

// Diagnostic lines stay short whatever the app passes: a name is cut, a list of names shows its first few.
const MAX_QUOTED_LENGTH = 80;
const MAX_LISTED_NAMES = 5;

/** `value` quoted for a diagnostic line, cut to 80 characters. Never throws. */
export function quoted(value: unknown): string {
  const text = asText(value);
  return text.length <= MAX_QUOTED_LENGTH
    ? `'${text}'`
    : `'${text.slice(0, MAX_QUOTED_LENGTH)}…' (${text.length} characters)`;
}

/** The first five `names`, quoted, and how many more there are. */
export function quoteNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED_NAMES).map(quoted).join(', ');
  return names.length <= MAX_LISTED_NAMES ? shown : `${shown} and ${names.length - MAX_LISTED_NAMES} more`;
}

/** Whether strict mode is on. */
export function isStrict(): boolean {
  return strict;
}

/**
 * What a public facade call does with an error it caught: in strict mode it throws (a TomographError as it is,
 * anything else, such as a hostile Proxy's throw, wrapped in one); otherwise it reports it and the call returns,
 * having done what it could. Telemetry never throws into the app outside strict mode.
 */
export function contain(call: string, error: unknown): void {
  if (strict) {
    if (isTomographError(error)) throw error;
    throw new TomographError('INVALID_ARGUMENT', `${call}(): ${describeError(error)}`, { cause: error });
  }
  const message = `${call}() failed on its arguments and recorded nothing: ${describeError(error)}`;
  diag.warn(`tomograph: ${message}`);
  warnOnce('INVALID_ARGUMENT', message);
}

function describeError(error: unknown): string {
  try {
    return quoted(error instanceof Error ? error.message : error);
  } catch {
    return `[${typeof error}]`;
  }
}

/** Reports misuse: throws in strict mode, else warns through `diag` (and once per code as a process warning). */
export function reportMisuse(code: TomographErrorCode, message: string): void {
  if (strict) throw new TomographError(code, message);
  diag.warn(`tomograph: ${message}`);
  warnOnce(code, message);
}
