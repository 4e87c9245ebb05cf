// traceKnex(): the legacy SQLAlchemy listeners (before_execute, after_execute, dbapi_error) as listeners on a knex
// instance's `query`, `query-response` and `query-error` events, recording on the facade's spans.
//
// knex emits `query` synchronously in the async flow of the code that awaited the query (checked against knex 3.3:
// also when the query first waited for a pooled connection), so the parent is taken there; the answer is matched
// to it by `__knexQueryUid`, since knex may answer in any order. Nothing here may throw into knex's emit (that
// would reject the application's query): every listener is guarded, and what cannot be recorded is counted.
import { diag, trace, type Context, type Span } from '@opentelemetry/api';
import { DiagnosticsReporter } from '../../diagnostics/reporter.js';
import { activeContext } from '../../context/activation.js';
import { topFrame } from '../../context/frame-context.js';
import { noteTarget } from '../../facade/note-target.js';
import { spanScopeName } from '../../otel-internals/index.js';
import { TomographError } from '../../errors.js';
import { databaseEndpoint, type DatabaseEndpoint, type KnexClientShape } from './endpoint.js';
import { resolveKnexOptions, type KnexTracingSettings, type TraceKnexOptions } from './options.js';
import { describeFailure, describeStatement } from './statement.js';
import { abandonStatement, executeSpan, noteSent, recordStatement, type Pending } from './statement-span.js';

// The knex instrumentation (@opentelemetry/instrumentation-knex, on under auto-instrumentations-node) makes its own
// span active around each query: a note on it would move the legacy SQL counters under a span the statsd exporter
// leaves out by default. The statement's note goes on the facade span that span runs under.
const KNEX_INSTRUMENTATION = '@opentelemetry/instrumentation-knex';

/**
 * The span a statement sent in `ctx` is noted on: where `annotate` writes (the active span, past a web framework's
 * layer span), or the facade span under knex's own.
 */
function noteTargetIn(ctx: Context): Span | undefined {
  const active = trace.getSpan(ctx);
  if (active === undefined || spanScopeName(active) !== KNEX_INSTRUMENTATION) return noteTarget(ctx);
  return topFrame(ctx)?.span ?? active;
}

/** An event listener as Node's EventEmitter (and so knex) types it. */
// EventEmitter's own listener type: `unknown[]` would reject a Knex.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EventListener = (...args: any[]) => void;

/** What traceKnex needs of a knex instance (structural, so that tomograph's types do not depend on knex). */
export interface KnexEventSource {
  on(event: string, listener: EventListener): unknown;
  removeListener(event: string, listener: EventListener): unknown;
  client?: unknown;
}

/** Counts kept by a {@link KnexTracing} handle since it was attached. */
export interface KnexTracingStats {
  /** Statements recorded, answered or failed. */
  recorded: number;
  /** Of those, the ones that failed. */
  failed: number;
  /** Statements waiting for their answer now. */
  inFlight: number;
  /**
   * Statements not recorded: dropped past `maxInFlight`, still waiting at `detach()`, or answered after the span
   * they belonged to had ended. Each drop is also reported through `diag`.
   */
  dropped: number;
  /**
   * Statements run with no span active: with `asSpans`, each was recorded as a root `execute` span of its own;
   * without it, not recorded (the original recorded nothing for them either).
   */
  outsideSpan: number;
  /** Statements knex gives no query id and no answer event (its own BEGIN/COMMIT/ROLLBACK, schema DDL): not traced. */
  uncorrelated: number;
  /**
   * Errors inside tomograph's listeners, caught and reported through `diag` (the 1st, 10th, 100th…); the queries
   * were not affected.
   */
  listenerErrors: number;
}

/** The handle traceKnex returns. */
export interface KnexTracing {
  /** Removes the listeners; statements still waiting are counted as dropped. Safe to call more than once. */
  detach(): void;
  /** A copy of the counts. */
  getStats(): KnexTracingStats;
}

/** The fields of a knex query event this module reads. */
interface KnexQuery {
  __knexQueryUid?: unknown;
  sql?: unknown;
}

/** The knex instances traced now: a second traceKnex on one would record every statement twice. */
const traced = new WeakSet<object>();

type KnexProblem = 'dropped' | 'listenerErrors';
type KnexTally = 'recorded' | 'failed' | 'outsideSpan' | 'uncorrelated';

/** One handle's counts and reports; the shared reporter warns at the 1st, 10th, 100th… of each problem. */
function knexReporter(): DiagnosticsReporter<KnexProblem, KnexTally> {
  return new DiagnosticsReporter<KnexProblem, KnexTally>({
    component: 'knex tracing',
    problems: {
      dropped: { one: 'statement dropped', many: 'statements dropped' },
      listenerErrors: {
        one: "error in tomograph's knex listeners (the queries themselves were not affected)",
        many: "errors in tomograph's knex listeners (the queries themselves were not affected)",
      },
    },
    tallies: ['recorded', 'failed', 'outsideSpan', 'uncorrelated'],
  });
}

function checkKnex(knex: unknown): asserts knex is KnexEventSource {
  const source = knex as Partial<KnexEventSource> | null | undefined;
  if (
    (typeof knex !== 'function' && typeof knex !== 'object') ||
    knex === null ||
    typeof source?.on !== 'function' ||
    typeof source.removeListener !== 'function'
  ) {
    throw new TomographError(
      'INVALID_ARGUMENT',
      `traceKnex(): the first argument must be a knex instance, got ${knex === null ? 'null' : typeof knex}`,
    );
  }
}

/**
 * Traces the SQL statements a knex instance runs, as the legacy library's SQLAlchemy listeners did.
 *
 * By default each statement is noted on the span active where the query was awaited, under that span's
 * endpoint, twice as in the original: when it is sent and when it answers (with its duration); the note is the
 * SQL text (`noteText: 'operation'`: `sql <OPERATION>`), the statement also in `db.query.text`. With `asSpans`,
 * the notes go on a child span `execute` of service `<name>db client` with the database host and port as
 * endpoint. A failure adds a note `database exception <error>` (and, as a span, ends it with ERROR status and
 * the exception recorded). Bound values are never recorded; nor are credentials. A statement run with no span
 * active is not recorded (with `asSpans`, it becomes a root `execute` span); one under a span that cannot take
 * notes (remote, sampled out), a child `execute` span of it. Queries inside `knex.transaction()` are traced too.
 *
 * @throws TomographError `INVALID_OPTION` for a bad option, `INVALID_ARGUMENT` for something that is not a
 * knex instance or one that is already traced.
 * @example
 * const tracing = traceKnex(db, { name: 'nova' });
 * // …
 * tracing.detach();
 */
export function traceKnex(knex: KnexEventSource, options: TraceKnexOptions): KnexTracing {
  checkKnex(knex);
  const settings = resolveKnexOptions(options);
  const reporter = knexReporter();
  if (!settings.enabled) {
    return { detach: () => undefined, getStats: () => ({ ...reporter.getStats(), inFlight: 0 }) };
  }
  if (traced.has(knex)) {
    throw new TomographError(
      'INVALID_ARGUMENT',
      'traceKnex(): this knex instance is already traced; detach() the first handle before tracing it again',
    );
  }
  traced.add(knex);
  return attach(knex, settings, reporter);
}

function attach(
  knex: KnexEventSource,
  settings: KnexTracingSettings,
  reporter: DiagnosticsReporter<KnexProblem, KnexTally>,
): KnexTracing {
  // Insertion order is age order, so the first key is the statement that has waited longest.
  const pending = new Map<string, Pending>();
  const endpoint = endpointReader((knex.client ?? {}) as KnexClientShape);
  let toldOutside = false;

  const drop = (why: string): void => reporter.problem('dropped', 1, why);

  /** Gives up on a statement still waiting: ends its own span (if it has one) saying why, and counts the drop. */
  const giveUp = (statement: Pending, why: string, dropWhy: string): void => {
    drop(dropWhy);
    abandonStatement(statement, why);
  };

  const guard =
    <A extends unknown[]>(event: string, listener: (...args: A) => void) =>
    (...args: A): void => {
      try {
        listener(...args);
      } catch (error) {
        reporter.problem('listenerErrors', 1, `'${event}': ${error instanceof Error ? error.message : String(error)}`);
      }
    };

  const onQuery = guard('query', (query: KnexQuery) => {
    const uid = query?.__knexQueryUid;
    if (typeof uid !== 'string') {
      reporter.tally('uncorrelated');
      return;
    }
    const sql = typeof query.sql === 'string' ? query.sql : '';
    const parent = activeContext();
    const where = endpoint();
    const { noteName, attributes, noteAttributes } = describeStatement(sql, where, settings);
    const parentSpan = noteTargetIn(parent);
    if (parentSpan === undefined) {
      reporter.tally('outsideSpan');
      if (!settings.asSpans) {
        // The original annotated such a statement on an `orphan` span it never sent: no span, no metric.
        if (!toldOutside) {
          toldOutside = true;
          diag.warn(
            `tomograph: a knex statement ran with no span active; with asSpans false it is not recorded (counted in getStats().outsideSpan), as the original recorded nothing for it`,
          );
        }
        return;
      }
    }
    // A span that is not recording (a remote parent, or one sampled out) cannot take a note: the statement gets
    // its own span under it, which keeps the trace and follows the sampler's decision.
    const ownSpan = settings.asSpans || parentSpan === undefined || !parentSpan.isRecording();
    const target = ownSpan ? executeSpan(settings, where, attributes, parent) : (parentSpan as Span);
    const started = performance.now();
    noteSent(target, noteName, noteAttributes, started);
    const previous = pending.get(uid);
    if (previous !== undefined) {
      // Deleted so that the new entry goes to the end of the age order.
      pending.delete(uid);
      giveUp(previous, 'knex sent its query id again', 'knex sent a query id twice');
    } else if (pending.size >= settings.maxInFlight) {
      const [oldestUid, oldest] = pending.entries().next().value as [string, Pending];
      pending.delete(oldestUid);
      giveUp(
        oldest,
        'evicted past maxInFlight',
        `more than ${settings.maxInFlight} statements waiting for an answer; the oldest was given up`,
      );
    }
    pending.set(uid, { sql, noteName, noteAttributes, target, ownSpan, started });
  });

  /** Records the statement `query` answered, or failed with `outcome.error`. */
  const settle = (query: KnexQuery | undefined, outcome?: { error: unknown }): void => {
    const uid = query?.__knexQueryUid;
    const statement = typeof uid === 'string' ? pending.get(uid) : undefined;
    if (statement === undefined) return; // Not ours: an id knex never announced, or one already given up.
    pending.delete(uid as string);
    const failure = outcome === undefined ? undefined : describeFailure(outcome.error, statement.sql);
    // The span was recording when the statement was sent (else it would have its own): now it has ended.
    if (!statement.ownSpan && !statement.target.isRecording()) {
      drop('it answered after the span it ran under had ended');
      return;
    }
    recordStatement(statement, failure, settings);
    reporter.tally('recorded');
    if (failure !== undefined) reporter.tally('failed');
  };

  const onResponse = guard('query-response', (_response: unknown, query: KnexQuery) => settle(query));
  const onError = guard('query-error', (error: unknown, query: KnexQuery) => settle(query, { error }));

  knex.on('query', onQuery);
  knex.on('query-response', onResponse);
  knex.on('query-error', onError);

  let detached = false;
  return {
    detach: () => {
      if (detached) return;
      detached = true;
      knex.removeListener('query', onQuery);
      knex.removeListener('query-response', onResponse);
      knex.removeListener('query-error', onError);
      traced.delete(knex);
      const waiting = [...pending.values()];
      pending.clear();
      // detach() runs in the application's own call: a span processor that throws on end must not reach it.
      const giveUpGuarded = guard('detach', giveUp);
      for (const statement of waiting)
        giveUpGuarded(statement, 'detached', 'it was still waiting for its answer when tracing was detached');
    },
    getStats: () => ({ ...reporter.getStats(), inFlight: pending.size }),
  };
}

/** The client's endpoint, worked out again only when its connection settings object changes. */
function endpointReader(client: KnexClientShape): () => DatabaseEndpoint {
  let readFrom: unknown;
  let cached: DatabaseEndpoint | undefined;
  return () => {
    // knex replaces `connectionSettings` when a connection function resolves; a new object means new settings.
    const source = client.connectionSettings ?? client.config?.connection;
    if (cached === undefined || source !== readFrom) {
      cached = databaseEndpoint(client);
      readFrom = source;
    }
    return cached;
  };
}
