// The options of traceKnex(): one documented object, checked once at call time, defaults in one place.
import { optionChecks } from '../../option-checks.js';

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
   * `'statement'` names the note by the SQL text itself, as the original did — one Graphite metric per distinct
   * statement, capped by the statsd exporter's `maxNoteNamesPerSpan` and `maxMetricNames`; `'operation'` gives a
   * bounded set of names (`sql SELECT`, `database exception SQLITE_ERROR`) and keeps the statement in the
   * `db.query.text` attribute.
   * @default 'statement'
   */
  noteText?: StatementNoteText;
  /**
   * Longest SQL text recorded (in `db.query.text`, and as the note name with `noteText: 'statement'`); longer
   * text is cut and ends with `…`. 0 records no SQL text at all (and names notes by the operation).
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
const KNOWN_OPTIONS = ['name', 'enabled', 'asSpans', 'noteText', 'maxQueryTextLength', 'maxInFlight'];

const {
  invalidOption: invalid,
  wholeNumber,
  onlyKnownKeys,
} = optionChecks({ prefix: 'traceKnex(): ', quoteNames: true });

function booleanOption(options: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(`'${key}' must be a boolean, got ${typeof value}`);
  return value;
}

/** Checks `options` and applies the defaults; throws `TomographError('INVALID_OPTION')` naming what is wrong. */
export function resolveKnexOptions(options: unknown): KnexTracingSettings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`options must be an object with at least 'name', got ${options === null ? 'null' : typeof options}`);
  }
  const given = options as Record<string, unknown>;
  onlyKnownKeys(given, KNOWN_OPTIONS);
  const name = given.name;
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw invalid(
      `'name' must be a non-empty string (the application's name), got ${typeof name === 'string' ? "''" : typeof name}`,
    );
  }
  const maxQueryTextLength = wholeNumber(given.maxQueryTextLength, 'maxQueryTextLength', {
    min: 0,
    fallback: DEFAULT_MAX_QUERY_TEXT_LENGTH,
  });
  // Recording no text at all leaves the operation to name notes by.
  const noteText = given.noteText ?? (maxQueryTextLength === 0 ? 'operation' : 'statement');
  if (noteText !== 'operation' && noteText !== 'statement') {
    throw invalid(`'noteText' must be 'operation' or 'statement', got ${String(noteText)}`);
  }
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
    maxInFlight: wholeNumber(given.maxInFlight, 'maxInFlight', { min: 1, fallback: DEFAULT_MAX_IN_FLIGHT }),
  };
}
