// The life of traceKnex's listeners: switching off, detaching, statements that never answer, knex destroy, and
// errors that must never reach the application. Real knex on SQLite, real OpenTelemetry SDK.
import { DiagLogLevel } from '@opentelemetry/api';
import type { Knex } from 'knex';
import { start, stop, traceKnex, type KnexTracing } from 'tomograph';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withBoundary } from '../../src/context/boundary.js';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';
import { openDatabase, request } from './database.js';

let otel: OtelHarness;
let db: Knex;
let diagnostics: DiagCapture;
const handles: KnexTracing[] = [];

/** traceKnex, detached again after the test. */
function traceDb(options: Parameters<typeof traceKnex>[1]): KnexTracing {
  const handle = traceKnex(db, options);
  handles.push(handle);
  return handle;
}

beforeAll(() => {
  otel = setupOtel('2.x');
});
afterAll(() => otel.teardown());

beforeEach(async () => {
  db = await openDatabase();
  diagnostics = captureDiag(DiagLogLevel.DEBUG);
  otel.reset();
});
afterEach(async () => {
  handles.splice(0).forEach((h) => h.detach());
  diagnostics.restore();
  await db.destroy();
});

/** A `query` event for a statement knex will never answer (as after a knex `.timeout()`, which emits nothing). */
function unansweredQuery(uid: string): void {
  db.emit('query', { __knexQueryUid: uid, sql: 'select 1', bindings: [] });
}

describe('traceKnex lifecycle', () => {
  it('attaches nothing when enabled is false', async () => {
    const handle = traceDb({ name: 'nova', enabled: false });
    expect([db.listenerCount('query'), db.listenerCount('query-response'), db.listenerCount('query-error')]).toEqual([0, 0, 0]);
    await request('GET /', () => db('users').select('id'));
    expect(otel.span('GET /').events).toEqual([]);
    expect(handle.stats().recorded).toBe(0);
  });

  it('removes its listeners on detach, and records nothing after', async () => {
    const handle = traceDb({ name: 'nova' });
    expect(db.listenerCount('query')).toBe(1);
    handle.detach();
    handle.detach();
    expect([db.listenerCount('query'), db.listenerCount('query-response'), db.listenerCount('query-error')]).toEqual([0, 0, 0]);
    await request('GET /', () => db('users').select('id'));
    expect(otel.span('GET /').events).toEqual([]);
  });

  it('refuses to trace one knex instance twice, until the first handle is detached', () => {
    const first = traceDb({ name: 'nova' });
    expect(() => traceKnex(db, { name: 'nova' })).toThrowError(expect.objectContaining({
      code: 'INVALID_ARGUMENT',
      message: 'traceKnex(): this knex instance is already traced; detach() the first handle before tracing it again',
    }));
    first.detach();
    expect(() => traceDb({ name: 'nova' })).not.toThrow();
  });

  it('rejects something that is not a knex instance, and bad options, at call time', () => {
    expect(() => traceKnex({} as never, { name: 'nova' })).toThrowError(expect.objectContaining({
      code: 'INVALID_ARGUMENT', message: 'traceKnex(): the first argument must be a knex instance, got object',
    }));
    expect(() => traceKnex(db, { name: 'nova', asSpans: 'yes' } as never)).toThrowError(expect.objectContaining({
      code: 'INVALID_OPTION', message: "traceKnex(): 'asSpans' must be a boolean, got string",
    }));
    expect(db.listenerCount('query')).toBe(0);
  });

  it('bounds the statements waiting for an answer: past maxInFlight the oldest is dropped, counted and reported', async () => {
    const handle = traceDb({ name: 'nova', maxInFlight: 2 });
    await request('GET /slow', async () => {
      unansweredQuery('lost-1');
      unansweredQuery('lost-2');
      unansweredQuery('lost-3');
      await db('users').select('id');
    });

    // The real statement waited too: it pushed out lost-2 and was answered, leaving lost-3.
    expect(handle.stats()).toMatchObject({ recorded: 1, dropped: 2, inFlight: 1 });
    expect(diagnostics.warnings('dropped')).toEqual([
      'tomograph: knex tracing dropped a statement (more than 2 statements waiting for an answer; the oldest was given up); 1 dropped so far',
    ]);
    handle.detach();
    expect(handle.stats()).toMatchObject({ dropped: 3, inFlight: 0 });
    // The 1st drop is a warning; the 2nd and 3rd are debug lines, so that a flood of drops is no flood of warnings.
    expect(diagnostics.messages.filter((m) => m.text.includes('dropped')).map((m) => m.level)).toEqual(['warn', 'debug', 'debug']);
  });

  it('counts as dropped a statement sent under a span that stopped before the answer came', async () => {
    const handle = traceDb({ name: 'nova' });
    const late = await withBoundary(async () => {
      start('nova', 'fire and forget', '10.0.0.1', 8774);
      const sent = new Promise((resolve) => db.once('query', resolve));
      const query = db('users').select('id').then(() => 'answered');
      await sent;
      stop('fire and forget');
      return query;
    });

    expect(late).toBe('answered');
    expect(otel.spans().map((s) => [s.name, s.events.length])).toEqual([['fire and forget', 0]]);
    expect(handle.stats()).toMatchObject({ recorded: 0, dropped: 1 });
    expect(diagnostics.warnings('dropped')).toEqual([
      'tomograph: knex tracing dropped a statement (it answered after the span it ran under had ended); 1 dropped so far',
    ]);
  });

  it('gives a statement sent after its span stopped an `execute` span of its own under that span', async () => {
    const handle = traceDb({ name: 'nova' });
    await withBoundary(async () => {
      start('nova', 'fire and forget', '10.0.0.1', 8774);
      // Started under the span; knex sends it only after acquiring a connection, by then stop() has run.
      const query = db('users').select('id').then(() => 'answered');
      stop('fire and forget');
      await query;
    });

    const stopped = otel.span('fire and forget');
    const execute = otel.span('execute');
    expect([parentIdOf(execute), execute.events.map((e) => e.name)]).toEqual([stopped.spanContext().spanId, ['sql SELECT']]);
    expect(handle.stats()).toMatchObject({ recorded: 1, dropped: 0 });
  });

  it('never lets an error in its listeners reach the application: it is counted and reported', async () => {
    const handle = traceDb({ name: 'nova' });
    const hostile = { get __knexQueryUid(): string { throw new Error('boom'); } };

    for (let i = 0; i < 10; i += 1) expect(() => db.emit('query', hostile)).not.toThrow();
    expect(handle.stats().listenerErrors).toBe(10);
    // The 1st and the 10th are errors; the ones between are debug lines, so that a bug cannot flood the log.
    expect(diagnostics.messages.filter((m) => m.text.includes("'query' listener")).map((m) => m.level))
      .toEqual(['error', 'debug', 'debug', 'debug', 'debug', 'debug', 'debug', 'debug', 'debug', 'error']);
    expect(diagnostics.warnings("'query' listener")[0]).toBe(
      "tomograph: knex tracing failed in its 'query' listener; the query itself was not affected boom",
    );
    await request('GET /after', () => db('users').select('id'));
    expect(otel.span('GET /after').events.map((e) => e.name)).toEqual(['sql SELECT']);
  });

  it('survives knex destroy: later queries fail as knex decides, nothing is recorded, detach finds nothing waiting', async () => {
    const handle = traceDb({ name: 'nova', asSpans: true });
    await db.destroy();
    const error = await db('users').select('id').then(() => undefined, (e: Error) => e.message);

    expect(error).toBe('Unable to acquire a connection');
    expect(otel.spans()).toEqual([]);
    handle.detach();
    expect(handle.stats()).toMatchObject({ recorded: 0, dropped: 0, inFlight: 0, listenerErrors: 0 });
  });
});
