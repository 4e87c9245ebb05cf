// Writing a knex statement onto spans, as the original's SQLAlchemy listeners did: its own `execute` span (the
// original's db_trace_as_spans) or the span it ran under gets the statement as a note when it is sent
// (before_execute) and again when it answers (after_execute, with its duration); a failure adds
// `database exception <error>` instead (dbapi_error). The OTel side of traceKnex, apart from the listeners.
import { SpanKind, SpanStatusCode, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { ATTR_NOTE_DURATION_MS } from '../../attributes.js';
import { openSpan } from '../../facade/span-stack.js';
import type { DatabaseEndpoint } from './endpoint.js';
import type { KnexTracingSettings } from './options.js';
import { ATTR_ERROR_TYPE, ATTR_EXCEPTION_MESSAGE } from '../../attributes.js';
import { failureNoteName, type StatementFailure } from './statement.js';

/** A statement waiting for its answer. */
export interface Pending {
  /** Its text as knex sent it, kept to cut knex's copy of it (with the bound values) off a failure's message. */
  readonly sql: string;
  /** Its note name and attributes, worked out when it was sent. */
  readonly noteName: string;
  readonly noteAttributes: Attributes;
  /** Where its notes go: its own `execute` span, or the span active when it was sent. */
  readonly target: Span;
  /** True when `target` is the statement's own span, which it ends. */
  readonly ownSpan: boolean;
  /**
   * When it was sent, as `performance.now()`: the note's timestamp and the start of its duration. The SDK puts a
   * performance timestamp on the span's own clock; an epoch timestamp could land outside the span by a few ms.
   */
  readonly started: number;
}

/** Opens the `execute` span of a statement, as a child of the span in `parent` (or a new trace). */
export function executeSpan(
  settings: KnexTracingSettings,
  where: DatabaseEndpoint,
  attributes: Attributes,
  parent: Context,
): Span {
  return openSpan(
    {
      serviceName: settings.serviceName,
      name: 'execute',
      address: where.address,
      port: where.port,
      kind: SpanKind.CLIENT,
      attributes,
    },
    parent,
    'traceKnex()',
  ).span;
}

/**
 * The statement's first note, when it is sent: its text (or operation) on `target`, under that span's own
 * endpoint. `started` is a `performance.now()` time: the SDK puts it on the span's own clock.
 */
export function noteSent(target: Span, noteName: string, noteAttributes: Attributes, started: number): void {
  target.addEvent(noteName, noteAttributes, started);
}

/**
 * Writes a finished statement: the second note with the statement's duration (or, for a failure, the
 * `database exception` note), and ends its own span.
 */
export function recordStatement(
  statement: Pending,
  failure: StatementFailure | undefined,
  settings: KnexTracingSettings,
): void {
  const duration = Math.round((performance.now() - statement.started) * 1000) / 1000;
  const span = statement.target;
  if (failure === undefined) {
    span.addEvent(statement.noteName, { ...statement.noteAttributes, [ATTR_NOTE_DURATION_MS]: duration });
  } else {
    span.addEvent(failureNoteName(failure, settings), {
      [ATTR_ERROR_TYPE]: failure.type,
      ...(failure.message !== undefined && { [ATTR_EXCEPTION_MESSAGE]: failure.message }),
    });
  }
  if (!statement.ownSpan) return;
  if (failure !== undefined) {
    span.recordException({
      name: failure.type,
      message: failure.message ?? failure.type,
      ...(failure.stack !== undefined && { stack: failure.stack }),
    });
    span.setAttribute(ATTR_ERROR_TYPE, failure.type);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message ?? failure.type });
  }
  span.end();
}

/**
 * Ends the own span of a statement tracing gave up on before its answer came, with ERROR status saying why: an
 * `execute` span left open would never be exported and would hold its memory. A note needs nothing: it was never
 * written.
 */
export function abandonStatement(statement: Pending, why: string): void {
  if (!statement.ownSpan) return;
  statement.target.setStatus({ code: SpanStatusCode.ERROR, message: `not answered: ${why}` });
  statement.target.end();
}
