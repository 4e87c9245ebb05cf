// The options of traceKnex(): one documented object, checked once at call time, defaults in one place.
import { TomographError } from '../../errors.js';

/** How a statement's note (OTel event) is named. */
export type StatementNoteText = 'operation' | 'statement';

/** Options of {@link traceKnex}. */
export interface TraceKnexOptions {
  /**
   * The application's name, as the legacy listeners' `name`: statements are recorded under the service
   * `<name>db client`.
   * @example 'nova'
   */
  name: string;
  /**
   * Trace statements at all (the legacy `db_tracing_enabled`). When false, no listener is attached.
   * @default true
   */
  enabled?: boolean;
  /**
   * Record each statement as a child span `execute` of service `<name>db client` (the legacy
   * `db_trace_as_spans`) instead of a note on the current span.
   * @default false
   */
  asSpans?: boolean;
  /**
   * What a note's name (the OTel event name, which the statsd exporter turns into a counter name) says:
   * `'operation'` gives a bounded set of names (`sql SELECT`, `database exception SQLITE_ERROR`) and keeps the
   * statement in the `db.query.text` attribute; `'statement'` names the note by the SQL text itself, as the
   * legacy library did — one Graphite metric per distinct statement.
   * @default 'operation'
   */
  noteText?: StatementNoteText;
  /**
   * Longest SQL text recorded (in `db.query.text`, and as the note name with `noteText: 'statement'`); longer
   * text is cut and ends with `…`. 0 records no SQL text at all.
   * @default 2048
   */
  maxQueryTextLength?: number;
  /**
   * Most statements waiting for their answer at once. A statement that never answers (knex emits nothing for a
   * query it timed out, or after `destroy()`) would otherwise be kept forever; past this bound the oldest one
   * is dropped, counted in `getStats().dropped` and reported through `diag`.
   * @default 1000
   */
  maxInFlight?: number;
}

/** The options after validation, with every default applied. */
export interface KnexTracingSettings {
  readonly serviceName: string;
  readonly enabled: boolean;
  readonly asSpans: boolean;
  readonly noteText: StatementNoteText;
  readonly maxQueryTextLength: number;
  readonly maxInFlight: number;
}

const DEFAULT_MAX_QUERY_TEXT_LENGTH = 2048;
const DEFAULT_MAX_IN_FLIGHT = 1000;
const KNOWN_OPTIONS = new Set(['name', 'enabled', 'asSpans', 'noteText', 'maxQueryTextLength', 'maxInFlight']);

function invalid(message: string): TomographError {
  return new TomographError('INVALID_OPTION', `traceKnex(): ${message}`);
}

function booleanOption(options: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(`'${key}' must be a boolean, got ${typeof value}`);
  return value;
}

function countOption(options: Record<string, unknown>, key: string, fallback: number, min: number): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(`'${key}' must be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}

/** Checks `options` and applies the defaults; throws `TomographError('INVALID_OPTION')` naming what is wrong. */
export function resolveKnexOptions(options: unknown): KnexTracingSettings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`options must be an object with at least 'name', got ${options === null ? 'null' : typeof options}`);
  }
  const given = options as Record<string, unknown>;
  // A misspelt option ('asSpan') would otherwise silently leave its default in place.
  for (const key of Object.keys(given)) {
    if (!KNOWN_OPTIONS.has(key)) throw invalid(`unknown option '${key}'`);
  }
  const name = given.name;
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw invalid(`'name' must be a non-empty string (the application's name), got ${typeof name === 'string' ? "''" : typeof name}`);
  }
  const noteText = given.noteText ?? 'operation';
  if (noteText !== 'operation' && noteText !== 'statement') {
    throw invalid(`'noteText' must be 'operation' or 'statement', got ${String(noteText)}`);
  }
  const maxQueryTextLength = countOption(given, 'maxQueryTextLength', DEFAULT_MAX_QUERY_TEXT_LENGTH, 0);
  if (noteText === 'statement' && maxQueryTextLength === 0) {
    throw invalid(`'noteText: statement' names notes by the SQL text, so 'maxQueryTextLength' cannot be 0`);
  }
  return {
    // The legacy service name, without a space: `${name}db client` (e.g. 'novadb client').
    serviceName: `${name}db client`,
    enabled: booleanOption(given, 'enabled', true),
    asSpans: booleanOption(given, 'asSpans', false),
    noteText,
    maxQueryTextLength,
    maxInFlight: countOption(given, 'maxInFlight', DEFAULT_MAX_IN_FLIGHT, 1),
  };
}
