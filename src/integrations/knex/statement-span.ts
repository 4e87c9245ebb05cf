// Writing a knex statement onto spans: its own `execute` span, or a note on the span it ran under; and, once it
// has answered or failed, its notes, status and end. The OTel side of traceKnex, apart from the listeners.
import { SpanKind, SpanStatusCode, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { ATTR_ENDPOINT_ADDRESS, ATTR_ENDPOINT_PORT, ATTR_NOTE_DURATION_MS, ATTR_SERVICE_NAME } from '../../attributes.js';
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
  readonly attributes: Attributes;
  /** The database it was sent to. */
  readonly where: DatabaseEndpoint;
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
export function executeSpan(settings: KnexTracingSettings, where: DatabaseEndpoint, attributes: Attributes, parent: Context): Span {
  return openSpan(
    { serviceName: settings.serviceName, name: 'execute', address: where.address, port: where.port, kind: SpanKind.CLIENT, attributes },
    parent,
    'traceKnex()',
  ).span;
}

/** Writes a finished statement: its note, its failure, and ends its own span. */
export function recordStatement(statement: Pending, failure: StatementFailure | undefined, settings: KnexTracingSettings): void {
  const { where } = statement;
  const duration = Math.round((performance.now() - statement.started) * 1000) / 1000;
  // The note's own endpoint, as the legacy notes had: the statsd exporter names counters after it.
  const noteEndpoint: Attributes = {
    [ATTR_SERVICE_NAME]: settings.serviceName,
    [ATTR_ENDPOINT_ADDRESS]: where.address,
    [ATTR_ENDPOINT_PORT]: where.port,
  };
  const span = statement.target;
  span.addEvent(
    statement.noteName,
    { ...statement.attributes, ...noteEndpoint, [ATTR_NOTE_DURATION_MS]: duration },
    statement.started,
  );
  if (failure !== undefined) {
    span.addEvent(failureNoteName(failure, settings), {
      ...noteEndpoint,
      [ATTR_ERROR_TYPE]: failure.type,
      ...(failure.message !== undefined && { [ATTR_EXCEPTION_MESSAGE]: failure.message }),
    });
  }
  if (!statement.ownSpan) return;
  if (failure !== undefined) {
    span.recordException({ name: failure.type, message: failure.message ?? failure.type, ...(failure.stack !== undefined && { stack: failure.stack }) });
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
