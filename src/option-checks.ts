// The checks every options object in tomograph is put through (configure(), the Zipkin, statsd and log exporters,
// traceKnex()), in one place so that a bad option is reported the same way wherever it is given and every
// millisecond option has the same ceiling. Each caller keeps its own wording (its prefix, whether option names are
// quoted, 'a whole number' or 'an integer') because users and tests match on those messages.
import { TomographError } from './errors.js';

/** Node's timers hold at most 2^31 - 1 ms; a longer delay fires after 1 ms, with a TimeoutOverflowWarning on stderr. */
export const MAX_TIMER_MILLIS = 2_147_483_647;

/** How the messages of one options object read. */
export interface OptionWording {
  /** Starts every message, naming who was given the options: 'configure(): ', 'zipkin: ', or '' */
  prefix: string;
  /** Option names in quotes ('port') or bare (batch.maxQueueSize). @default false */
  quoteNames?: boolean;
  /** How a message says "integer". @default 'an integer' */
  integer?: 'an integer' | 'a whole number';
}

export interface WholeNumberRule {
  min: number;
  /** @default Number.MAX_SAFE_INTEGER, and then the message says "of at least min" */
  max?: number;
  fallback: number;
}

/** A value as a message shows it: strings quoted, so that '5' and 5 read differently. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'array' : 'object';
}

/** The checks of one options object, each throwing TomographError('INVALID_OPTION') in that object's wording. */
export function optionChecks(wording: OptionWording) {
  const named = (name: string): string => (wording.quoteNames === true ? `'${name}'` : name);

  function invalidOption(message: string): TomographError {
    return new TomographError('INVALID_OPTION', `${wording.prefix}${message}`);
  }

  /** `value` if it is a safe integer within the rule's bounds, the rule's fallback if it is undefined. */
  function wholeNumber(value: unknown, name: string, rule: WholeNumberRule): number {
    if (value === undefined) return rule.fallback;
    const max = rule.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < rule.min || value > max) {
      const range = rule.max === undefined ? `of at least ${rule.min}` : `from ${rule.min} to ${max}`;
      throw invalidOption(`${named(name)} must be ${wording.integer ?? 'an integer'} ${range}, got ${shown(value)}`);
    }
    return value;
  }

  // A misspelt option would otherwise fall back to its default in production, silently: TypeScript catches it,
  // plain JavaScript does not.
  function onlyKnownKeys(value: object, known: readonly string[], path = ''): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key))
        throw invalidOption(`unknown option ${named(path + key)}; expected one of ${known.join(', ')}`);
    }
  }

  /** A nested options object: `{}` when absent, checked for unknown keys when `known` is given. */
  function optionalObject<T>(value: T | undefined, name: string, known?: readonly string[]): T | Record<string, never> {
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw invalidOption(`${named(name)} must be an object`);
    if (known !== undefined) onlyKnownKeys(value, known, `${name}.`);
    return value;
  }

  /** `value`, if undefined or an http: or https: URL. */
  function httpUrl(value: unknown, name: string): string | undefined {
    if (value === undefined) return undefined;
    let protocol: string | undefined;
    try {
      protocol = new URL(value as string).protocol;
    } catch {
      protocol = undefined;
    }
    if (typeof value !== 'string' || (protocol !== 'http:' && protocol !== 'https:')) {
      throw invalidOption(`${named(name)} must be an http or https URL, got ${shown(value)}`);
    }
    return value;
  }

  return { invalidOption, wholeNumber, onlyKnownKeys, optionalObject, httpUrl };
}
