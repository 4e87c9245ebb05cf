// The life of traceKnex's listeners: switching off, detaching, statements that never answer, knex destroy, and
// errors that must never reach the application. Real knex on SQLite, real OpenTelemetry SDK.
import { context, DiagLogLevel, ROOT_CONTEXT, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { start, stop, traceKnex } from 'tomograph';
import { describe, expect, it } from 'vitest';
import { withBoundary } from '../../src/context/boundary.js';
import { parentIdOf } from '../support/otel.js';
import { request, useKnexHarness } from './database.js';

const harness = useKnexHarness(undefined, DiagLogLevel.DEBUG);

/** A `query` event for a statement knex will never answer (as after a knex `.timeout()`, which emits nothing). */
function unansweredQuery(uid: string): void {
  harness.db.emit('query', { __knexQueryUid: uid, sql: 'select 1', bindings: [] });
}

describe('traceKnex lifecycle', () => {
  it('attaches nothing when enabled is false', async () => {
    const handle = harness.trace({ name: 'nova', enabled: false });
    expect([
      harness.db.listenerCount('query'),
      harness.db.listenerCount('query-response'),
      harness.db.listenerCount('query-error'),
    ]).toEqual([0, 0, 0]);
    await request('GET /', () => harness.db('users').select('id'));
    expect(harness.otel.span('GET /').events).toEqual([]);
    expect(handle.getStats().recorded).toBe(0);
  });

  it('removes its listeners on detach, and records nothing after', async () => {
    const handle = harness.trace({ name: 'nova' });
    expect(harness.db.listenerCount('query')).toBe(1);
    handle.detach();
    handle.detach();
    expect([
      harness.db.listenerCount('query'),
      harness.db.listenerCount('query-response'),
      harness.db.listenerCount('query-error'),
    ]).toEqual([0, 0, 0]);
    await request('GET /', () => harness.db('users').select('id'));
    expect(harness.otel.span('GET /').events).toEqual([]);
  });

  it('refuses to trace one knex instance twice, until the first handle is detached', () => {
    const first = harness.trace({ name: 'nova' });
    expect(() => traceKnex(harness.db, { name: 'nova' })).toThrowError(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: 'traceKnex(): this knex instance is already traced; detach() the first handle before tracing it again',
      }),
    );
    first.detach();
    expect(() => harness.trace({ name: 'nova' })).not.toThrow();
  });

  it('rejects something that is not a knex instance, and bad options, at call time', () => {
    expect(() => traceKnex({} as never, { name: 'nova' })).toThrowError(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: 'traceKnex(): the first argument must be a knex instance, got object',
      }),
    );
    expect(() => traceKnex(harness.db, { name: 'nova', asSpans: 'yes' } as never)).toThrowError(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: "traceKnex(): 'asSpans' must be a boolean, got string",
      }),
    );
    expect(harness.db.listenerCount('query')).toBe(0);
  });

  it('bounds the statements waiting for an answer: past maxInFlight the oldest is dropped, counted and reported', async () => {
    const handle = harness.trace({ name: 'nova', maxInFlight: 2 });
    await request('GET /slow', async () => {
      unansweredQuery('lost-1');
      unansweredQuery('lost-2');
      unansweredQuery('lost-3');
      await harness.db('users').select('id');
    });

    // The real statement waited too: it pushed out lost-2 and was answered, leaving lost-3.
    expect(handle.getStats()).toMatchObject({ recorded: 1, dropped: 2, inFlight: 1 });
    expect(harness.diagnostics.warnings('dropped')).toEqual([
      'tomograph: knex tracing: 1 statement dropped (latest: more than 2 statements waiting for an answer; the oldest was given up)',
    ]);
    handle.detach();
    expect(handle.getStats()).toMatchObject({ dropped: 3, inFlight: 0 });
    // The 1st drop is a warning; the 2nd and 3rd are debug lines, so that a flood of drops is no flood of warnings.
    expect(harness.diagnostics.messages.filter((m) => m.text.includes('dropped')).map((m) => m.level)).toEqual([
      'warn',
      'debug',
      'debug',
    ]);
  });

  it('ends the `execute` span of a statement given up past maxInFlight, with ERROR status saying why', async () => {
    const handle = harness.trace({ name: 'nova', asSpans: true, maxInFlight: 1 });
    await request('GET /slow', async () => {
      unansweredQuery('lost-1');
      unansweredQuery('lost-2');
    });

    const ended = harness.otel.spans().filter((s) => s.name === 'execute');
    expect(ended.map((s) => [s.status, s.events.map((e) => e.name)])).toEqual([
      // The note of its sending is there (the original's before_execute); the answer's never came.
      [{ code: SpanStatusCode.ERROR, message: 'not answered: evicted past maxInFlight' }, ['select 1']],
    ]);
    expect(handle.getStats()).toMatchObject({ recorded: 0, dropped: 1, inFlight: 1 });
    expect(harness.diagnostics.warnings('dropped')).toEqual([
      'tomograph: knex tracing: 1 statement dropped (latest: more than 1 statements waiting for an answer; the oldest was given up)',
    ]);
  });

  it('ends the root `execute` span of a statement whose query id knex sends again, and keeps the second', async () => {
    const handle = harness.trace({ name: 'nova', asSpans: true });
    unansweredQuery('twice');
    unansweredQuery('twice');

    expect(harness.otel.spans().map((s) => [s.name, parentIdOf(s), s.status])).toEqual([
      ['execute', undefined, { code: SpanStatusCode.ERROR, message: 'not answered: knex sent its query id again' }],
    ]);
    expect(handle.getStats()).toMatchObject({ dropped: 1, inFlight: 1, outsideSpan: 2 });
    expect(harness.diagnostics.warnings('dropped')).toEqual([
      'tomograph: knex tracing: 1 statement dropped (latest: knex sent a query id twice)',
    ]);
  });

  it('ends on detach the `execute` span of a statement still waiting under a remote parent', () => {
    const handle = harness.trace({ name: 'nova' });
    const remote = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    };
    context.with(trace.setSpanContext(ROOT_CONTEXT, remote), () => unansweredQuery('waiting'));
    expect(harness.otel.spans()).toEqual([]);

    handle.detach();
    expect(harness.otel.spans().map((s) => [s.name, parentIdOf(s), s.status])).toEqual([
      ['execute', remote.spanId, { code: SpanStatusCode.ERROR, message: 'not answered: detached' }],
    ]);
    expect(handle.getStats()).toMatchObject({ dropped: 1, inFlight: 0 });
    expect(harness.diagnostics.warnings('dropped')).toEqual([
      'tomograph: knex tracing: 1 statement dropped (latest: it was still waiting for its answer when tracing was detached)',
    ]);
  });

  it('ends every `execute` span it started when statements are evicted, sent twice and left waiting at detach', () => {
    const handle = harness.trace({ name: 'nova', asSpans: true, maxInFlight: 1 });
    unansweredQuery('a');
    unansweredQuery('b');
    unansweredQuery('b');
    handle.detach();

    expect(harness.otel.spans().map((s) => s.status.message)).toEqual([
      'not answered: evicted past maxInFlight',
      'not answered: knex sent its query id again',
      'not answered: detached',
    ]);
    expect(handle.getStats()).toMatchObject({ recorded: 0, dropped: 3, inFlight: 0 });
  });

  it('counts as dropped a statement sent under a span that stopped before the answer came', async () => {
    const handle = harness.trace({ name: 'nova' });
    const late = await withBoundary(async () => {
      start('nova', 'fire and forget', '10.0.0.1', 8774);
      const sent = new Promise((resolve) => harness.db.once('query', resolve));
      const query = harness
        .db('users')
        .select('id')
        .then(() => 'answered');
      await sent;
      stop('fire and forget');
      return query;
    });

    expect(late).toBe('answered');
    // The note of its sending is on the span; the answer came too late for the second.
    expect(harness.otel.spans().map((s) => [s.name, s.events.length])).toEqual([['fire and forget', 1]]);
    expect(handle.getStats()).toMatchObject({ recorded: 0, dropped: 1 });
    expect(harness.diagnostics.warnings('dropped')).toEqual([
      'tomograph: knex tracing: 1 statement dropped (latest: it answered after the span it ran under had ended)',
    ]);
  });

  it('notes a statement sent after its span stopped on what was active before that span, never on the ended span', async () => {
    const handle = harness.trace({ name: 'nova' });
    await request('GET /outer', async () => {
      start('nova', 'fire and forget', '10.0.0.1', 8774);
      // Started under the span; knex sends it only after acquiring a connection, by then stop() has run: a stopped
      // span is active nowhere, so the statement's note goes on the request span.
      const query = harness
        .db('users')
        .select('id')
        .then(() => 'answered');
      stop('fire and forget');
      await query;
    });

    expect(harness.otel.span('fire and forget').events).toEqual([]);
    expect(harness.otel.span('GET /outer').events.map((e) => e.name)).toEqual([
      'select `id` from `users`',
      'select `id` from `users`',
    ]);
    expect(harness.otel.spans().map((s) => s.name)).not.toContain('execute');
    expect(handle.getStats()).toMatchObject({ recorded: 1, dropped: 0 });
  });

  it('never lets an error in its listeners reach the application: it is counted and reported', async () => {
    const handle = harness.trace({ name: 'nova' });
    const hostile = {
      get __knexQueryUid(): string {
        throw new Error('boom');
      },
    };

    for (let i = 0; i < 10; i += 1) expect(() => harness.db.emit('query', hostile)).not.toThrow();
    expect(handle.getStats().listenerErrors).toBe(10);
    // The 1st and the 10th are warnings; the ones between are debug lines, so that a bug cannot flood the log.
    expect(harness.diagnostics.messages.filter((m) => m.text.includes('knex listeners')).map((m) => m.level)).toEqual([
      'warn',
      'debug',
      'debug',
      'debug',
      'debug',
      'debug',
      'debug',
      'debug',
      'debug',
      'warn',
    ]);
    expect(harness.diagnostics.warnings('knex listeners')[0]).toBe(
      "tomograph: knex tracing: 1 error in tomograph's knex listeners (the queries themselves were not affected) (latest: 'query': boom)",
    );
    await request('GET /after', () => harness.db('users').select('id'));
    expect(harness.otel.span('GET /after').events.map((e) => e.name)).toEqual([
      'select `id` from `users`',
      'select `id` from `users`',
    ]);
  });

  it('survives knex destroy: later queries fail as knex decides, nothing is recorded, detach finds nothing waiting', async () => {
    const handle = harness.trace({ name: 'nova', asSpans: true });
    await harness.db.destroy();
    const error = await harness
      .db('users')
      .select('id')
      .then(
        () => undefined,
        (e: Error) => e.message,
      );

    expect(error).toBe('Unable to acquire a connection');
    expect(harness.otel.spans()).toEqual([]);
    handle.detach();
    expect(handle.getStats()).toMatchObject({ recorded: 0, dropped: 0, inFlight: 0, listenerErrors: 0 });
  });
});
