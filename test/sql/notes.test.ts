// SQL tracing in its default mode: each statement noted twice (sent, answered) on the span of the request that ran
// it, as the original's listeners did, against a real SQLite database through knex and the real OpenTelemetry SDK.
// Most cases name notes by the operation (`noteText: 'operation'`) to read short; the default (the SQL text) has its
// own.
import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import type { KnexTracing } from 'tomograph';
import { beforeEach, describe, expect, it } from 'vitest';
import { parentIdOf } from '../support/otel.js';
import { request, useKnexHarness } from './database.js';

const harness = useKnexHarness();
let tracing: KnexTracing;
beforeEach(() => {
  tracing = harness.trace({ name: 'nova', noteText: 'operation' });
});

/** The events of a finished span as [name, attributes] pairs, without the timing attribute. */
function notesOf(spanName: string): [string, Record<string, unknown>][] {
  return harness.otel.span(spanName).events.map((event) => {
    const { 'tomograph.note.duration_ms': _duration, ...rest } = event.attributes ?? {};
    return [event.name, rest];
  });
}

const SELECT_NOTE = { 'db.system.name': 'sqlite', 'db.operation.name': 'SELECT', 'db.namespace': ':memory:' };

describe('statements as notes (the default)', () => {
  it("notes a statement on the current span when sent and when answered, the second with its duration, under that span's endpoint", async () => {
    await request('GET /users', () => harness.db('users').where({ email: 'alice@example.org' }).select('id'));

    const attributes = { ...SELECT_NOTE, 'db.query.text': 'select `id` from `users` where `email` = ?' };
    // No endpoint of its own: the notes count under the request span's endpoint, as the original's did.
    expect(notesOf('GET /users')).toEqual([
      ['sql SELECT', attributes],
      ['sql SELECT', attributes],
    ]);
    const span = harness.otel.span('GET /users');
    const [sent, answered] = span.events as [(typeof span.events)[number], (typeof span.events)[number]];
    expect(sent.attributes?.['tomograph.note.duration_ms']).toBeUndefined();
    const duration = answered.attributes?.['tomograph.note.duration_ms'];
    expect(typeof duration === 'number' && duration >= 0 && duration < 1000).toBe(true);
    // Both on the span's own clock, inside the span; the answer's note after the sending's by the duration.
    const ms = ([seconds, nanos]: [number, number]) => seconds * 1e3 + nanos / 1e6;
    expect(ms(sent.time) >= ms(span.startTime) && ms(answered.time) <= ms(span.endTime)).toBe(true);
    expect(ms(answered.time) - ms(sent.time)).toBeGreaterThanOrEqual((duration as number) - 1);
    expect(harness.otel.spans().map((s) => s.name)).toEqual(['GET /users']);
    expect(tracing.getStats()).toMatchObject({ recorded: 1, failed: 0, inFlight: 0, dropped: 0, outsideSpan: 0 });
  });

  it('never records a bound value, in any span or note', async () => {
    await request('POST /users', async () => {
      await harness.db('users').insert({ email: 'hunter2@secret.example' });
      await harness.db.raw('select ? as token', ['tok-hunter2']);
      await harness
        .db('users')
        .insert({ email: 'hunter2@secret.example' })
        .catch(() => undefined);
    });

    expect(
      JSON.stringify(harness.otel.spans().map((s) => ({ a: s.attributes, e: s.events, st: s.status }))),
    ).not.toContain('hunter2');
    expect(harness.otel.span('POST /users').events.map((e) => e.name)).toEqual([
      'sql INSERT',
      'sql INSERT',
      'sql SELECT',
      'sql SELECT',
      'sql INSERT',
      'database exception SQLITE_CONSTRAINT_UNIQUE',
    ]);
  });

  it('adds `database exception <error type>` after the note of a failing statement; the app still gets its error', async () => {
    const error = await request('GET /nope', () =>
      harness.db.raw('select * from nope where id = ?', [7]).then(
        () => undefined,
        (e: Error) => e,
      ),
    );

    expect(error?.message).toBe('select * from nope where id = 7 - no such table: nope');
    expect(notesOf('GET /nope')).toEqual([
      ['sql SELECT', { ...SELECT_NOTE, 'db.query.text': 'select * from nope where id = ?' }],
      ['database exception SQLITE_ERROR', { 'error.type': 'SQLITE_ERROR', 'exception.message': 'no such table: nope' }],
    ]);
    expect(tracing.getStats()).toMatchObject({ recorded: 1, failed: 1 });
  });

  it('keeps concurrent requests apart: each statement lands on the span of the request that awaited it', async () => {
    // Request i runs i + 1 statements; one pooled connection makes them queue behind each other's.
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        request(`req ${i}`, async () => {
          for (let n = 0; n <= i; n += 1) await harness.db('users').insert({ email: `u${i}-${n}@example.org` });
        }),
      ),
    );

    expect([0, 1, 2, 3, 4].map((i) => harness.otel.span(`req ${i}`).events.length)).toEqual([2, 4, 6, 8, 10]);
    expect(new Set(harness.otel.spans().flatMap((s) => s.events.map((e) => e.name)))).toEqual(new Set(['sql INSERT']));
  });

  it('records the statements of a transaction, and its failure, on the request span; BEGIN/COMMIT/ROLLBACK are not traced', async () => {
    await request('POST /transfer', async () => {
      await harness.db.transaction(async (trx) => {
        await trx('users').insert({ email: 'a@example.org' });
        await trx('users').where({ email: 'a@example.org' }).update({ email: 'b@example.org' });
      });
      await harness.db
        .transaction(async (trx) => {
          await trx('users').insert({ email: 'b@example.org' });
        })
        .catch(() => undefined);
    });

    expect(harness.otel.span('POST /transfer').events.map((e) => e.name)).toEqual([
      'sql INSERT',
      'sql INSERT',
      'sql UPDATE',
      'sql UPDATE',
      'sql INSERT',
      'database exception SQLITE_CONSTRAINT_UNIQUE',
    ]);
    expect(await harness.db('users').pluck('email')).toEqual(['b@example.org']);
    // BEGIN; COMMIT; BEGIN; ROLLBACK carry no knex query id and get no answer event; the check's own pluck ran
    // outside any span.
    expect(tracing.getStats()).toMatchObject({ recorded: 3, failed: 1, uncorrelated: 4, inFlight: 0, outsideSpan: 1 });
  });

  it('records nothing for a statement run with no span active, as the original; counts it and says so once', async () => {
    await harness.db('users').count({ n: '*' });
    await harness.db('users').count({ n: '*' });

    expect(harness.otel.spans()).toEqual([]);
    expect(tracing.getStats()).toMatchObject({ recorded: 0, outsideSpan: 2, inFlight: 0 });
    expect(harness.diagnostics.messages.filter((m) => m.text.includes('no span active'))).toEqual([
      {
        level: 'warn',
        text: 'tomograph: a knex statement ran with no span active; with asSpans false it is not recorded (counted in getStats().outsideSpan), as the original recorded nothing for it',
      },
    ]);
  });

  it('gives a statement under a remote parent (a span that cannot take notes) its own `execute` span in that trace', async () => {
    const remote = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    };
    await context.with(trace.setSpanContext(ROOT_CONTEXT, remote), async () => await harness.db('users').select('id'));

    const execute = harness.otel.span('execute');
    expect([execute.spanContext().traceId, parentIdOf(execute), execute.events.map((e) => e.name)]).toEqual([
      remote.traceId,
      remote.spanId,
      ['sql SELECT', 'sql SELECT'],
    ]);
    expect(tracing.getStats()).toMatchObject({ recorded: 1, dropped: 0, outsideSpan: 0 });
  });

  it('gives every statement the same note name however many distinct statements run, so metrics stay bounded', async () => {
    await request('GET /report', async () => {
      for (let i = 0; i < 50; i += 1) await harness.db.raw(`select ${i} as c${i}`);
    });

    const notes = harness.otel.span('GET /report').events;
    expect(notes).toHaveLength(100);
    expect(new Set(notes.map((e) => e.name))).toEqual(new Set(['sql SELECT']));
    expect(new Set(notes.map((e) => e.attributes?.['db.query.text'])).size).toBe(50);
  });

  it('names notes by the SQL text by default, as the original did', async () => {
    tracing.detach();
    tracing = harness.trace({ name: 'nova' });
    await request('GET /legacy', async () => {
      await harness.db.raw('select 1 as one');
      await harness.db.raw('select * from nope').catch(() => undefined);
    });
    expect(harness.otel.span('GET /legacy').events.map((e) => e.name)).toEqual([
      'select 1 as one',
      'select 1 as one',
      'select * from nope',
      'database exception no such table: nope',
    ]);
  });
});

describe("statements under a web framework's layer span", () => {
  it("are noted on the request span, not on the express instrumentation's 'request handler' span", async () => {
    const layerTracer = trace.getTracer('@opentelemetry/instrumentation-express');
    await request('GET /users', async () => {
      const layer = layerTracer.startSpan('request handler - /users');
      // then() inside the layer's context: a query builder runs its query when then() is called.
      await context.with(trace.setSpan(context.active(), layer), () =>
        harness
          .db('users')
          .select('id')
          .then((rows) => rows),
      );
      layer.end();
    });
    // Noted when sent and when answered, as the original's listeners did.
    expect(notesOf('GET /users').map(([name]) => name)).toEqual(['sql SELECT', 'sql SELECT']);
    expect(harness.otel.span('request handler - /users').events).toEqual([]);
  });
});
