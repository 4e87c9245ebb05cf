// What happens when the facade is misused: by default a `diag` warning and the call does what it safely can;
// in strict mode (for an application's own tests) a TomographError is thrown instead.
import { diag } from '@opentelemetry/api';
import { TomographError, type TomographErrorCode } from '../errors.js';

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

/** Reports misuse: throws in strict mode, else warns through `diag` and returns. */
export function reportMisuse(code: TomographErrorCode, message: string): void {
  if (strict) throw new TomographError(code, message);
  diag.warn(`tomograph: ${message}`);
}
