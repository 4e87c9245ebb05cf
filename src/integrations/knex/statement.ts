// What a statement and its failure look like in telemetry: note names, OTel semantic-convention attributes and a
// binding-free error description. Pure: knex's query objects and errors in, names and attributes out.
import type { Attributes } from '@opentelemetry/api';
import type { DatabaseEndpoint } from './endpoint.js';
import type { KnexTracingSettings } from './options.js';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '../../attributes.js';

/**
 * The SQL keywords a statement may start with that become its operation. A closed list, so that note names
 * built from it (`sql SELECT`) stay a small, bounded set whatever SQL the application sends.
 */
const OPERATIONS = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'UPSERT',
  'REPLACE',
  'WITH',
  'VALUES',
  'CALL',
  'EXEC',
  'EXECUTE',
  'CREATE',
  'ALTER',
  'DROP',
  'TRUNCATE',
  'RENAME',
  'COMMENT',
  'GRANT',
  'REVOKE',
  'BEGIN',
  'START',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
  'SET',
  'SHOW',
  'DESCRIBE',
  'EXPLAIN',
  'PRAGMA',
  'VACUUM',
  'ANALYZE',
  'REINDEX',
  'ATTACH',
  'DETACH',
  'LOCK',
  'COPY',
  'DO',
  'LISTEN',
  'NOTIFY',
]);

/** The note name of a statement whose first keyword is not in the list. */
const OTHER_OPERATION = 'OTHER';

/** The statement's first SQL keyword, upper-cased, if it is a known one; comments and parentheses are skipped. */
export function operationOf(sql: string): string | undefined {
  const start = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*([A-Za-z]+)/.exec(sql);
  const keyword = start?.[1]?.toUpperCase();
  return keyword !== undefined && OPERATIONS.has(keyword) ? keyword : undefined;
}

/** `text` cut to `max` characters, the cut marked with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** How a statement is written: its note name, its `execute` span's attributes and its notes' attributes. */
export interface StatementRecord {
  readonly noteName: string;
  /** For its own `execute` span: the semconv database attributes, `server.address`/`server.port` included. */
  readonly attributes: Attributes;
  /**
   * For its notes: the same without `server.*`, which the statsd exporter would read as the note's own endpoint;
   * a note counts under the endpoint of the span it is on, as the original's did.
   */
  readonly noteAttributes: Attributes;
}

/**
 * The note name and attributes of a statement, worked out once when it is sent: its text is parsed and cut here
 * only, not again when it answers. Bound parameter values never appear: knex keeps them apart from the SQL text
 * (placeholders `?`/`$1`), and only the text is recorded.
 */
export function describeStatement(
  sql: string,
  endpoint: DatabaseEndpoint,
  settings: KnexTracingSettings,
): StatementRecord {
  const operation = operationOf(sql);
  const text = truncate(sql, settings.maxQueryTextLength);
  const noteAttributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: endpoint.system };
  if (operation !== undefined) noteAttributes[ATTR_DB_OPERATION_NAME] = operation;
  if (settings.maxQueryTextLength > 0) noteAttributes[ATTR_DB_QUERY_TEXT] = text;
  if (endpoint.namespace !== undefined) noteAttributes[ATTR_DB_NAMESPACE] = endpoint.namespace;
  const attributes: Attributes = { ...noteAttributes };
  if (endpoint.serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = endpoint.serverAddress;
  if (endpoint.serverPort !== undefined) attributes[ATTR_SERVER_PORT] = endpoint.serverPort;
  const noteName = settings.noteText === 'statement' ? text : `sql ${operation ?? OTHER_OPERATION}`;
  return { noteName, attributes, noteAttributes };
}

/** A failed statement's error, safe to record: no bound values in its message or stack. */
export interface StatementFailure {
  /** `error.type`: the driver's error code (`SQLITE_ERROR`, `23505`), else the error's class name. */
  readonly type: string;
  /** The driver's own message, without the statement knex puts in front of it; absent when it cannot be cut. */
  readonly message?: string;
  /** The stack frames, under a first line rebuilt from `type` and `message`. */
  readonly stack?: string;
}

const SAFE_TYPE = /^[A-Za-z0-9_.-]{1,64}$/;

function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && SAFE_TYPE.test(code)) return code;
  if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  if (typeof name === 'string' && SAFE_TYPE.test(name)) return name;
  return 'Error';
}

/**
 * The driver's message inside a knex error message. knex rewrites `error.message` to
 * `<statement with the bound values written in> - <driver message>` (or the bare SQL text when
 * `compileSqlOnError` is false). Returns undefined when the message does not have that shape: better to record
 * no message than one that may hold a bound value.
 */
export function driverMessage(message: string, sql: string): string | undefined {
  const separator = ' - ';
  if (message.startsWith(sql + separator)) return message.slice(sql.length + separator.length);
  const first = sql.indexOf('?');
  if (first < 0) return undefined;
  // knex writes each value in place of a `?`: the prefix starts with the text before the first `?` and ends
  // with the text after the last one. The last occurrence of that end is taken, so that whatever a value
  // contains lies before the cut; at worst the driver message is cut short.
  const head = sql.slice(0, first);
  const tail = sql.slice(sql.lastIndexOf('?') + 1) + separator;
  const end = message.lastIndexOf(tail);
  if (!message.startsWith(head) || end < head.length) return undefined;
  return message.slice(end + tail.length);
}

/** The frames of a stack trace, without its first line(s), which repeat the (unsafe) message. */
function stackFrames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

/** What to record of `error`, the failure of statement `sql`. */
export function describeFailure(error: unknown, sql: string): StatementFailure {
  const type = errorType(error);
  const rawMessage = error instanceof Error ? error.message : undefined;
  const message = rawMessage === undefined ? undefined : driverMessage(rawMessage, sql);
  const frames = error instanceof Error ? stackFrames(error.stack) : undefined;
  return {
    type,
    ...(message !== undefined && { message }),
    ...(frames !== undefined && { stack: `${type}${message === undefined ? '' : `: ${message}`}\n${frames}` }),
  };
}

/** The name of the note that records a failure, as the legacy `database exception <error>`. */
export function failureNoteName(failure: StatementFailure, settings: KnexTracingSettings): string {
  if (settings.noteText === 'statement' && failure.message !== undefined) {
    return `database exception ${truncate(failure.message, settings.maxQueryTextLength)}`;
  }
  return `database exception ${failure.type}`;
}
