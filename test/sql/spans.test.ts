// SQL tracing with asSpans: each statement a child span `execute` of service `<name>db client`, against a real
// SQLite database through knex and the real OpenTelemetry SDK.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { KnexTracing } from 'tomograph';
import { beforeEach, describe, expect, it } from 'vitest';
import { parentIdOf } from '../support/otel.js';
import { request, useKnexHarness } from './database.js';

const harness = useKnexHarness();
let tracing: KnexTracing;
beforeEach(() => {
  tracing = harness.trace({ name: 'nova', asSpans: true });
});

describe('statements as spans (asSpans)', () => {
  it('records a statement as a CLIENT span `execute` under the request span, with the database as endpoint', async () => {
    await request('GET /users', () => harness.db('users').where({ email: 'alice@example.org' }).first());

    const requestSpan = harness.otel.span('GET /users');
    const execute = harness.otel.span('execute');
    expect(parentIdOf(execute)).toBe(requestSpan.spanContext().spanId);
    expect(execute.spanContext().traceId).toBe(requestSpan.spanContext().traceId);
    expect(execute.kind).toBe(SpanKind.CLIENT);
    expect(execute.attributes).toEqual({
      'service.name': 'novadb client',
      'tomograph.endpoint.address': '127.0.0.1',
      'tomograph.endpoint.port': 0,
      'db.system.name': 'sqlite',
      'db.operation.name': 'SELECT',
      'db.query.text': 'select * from `users` where `email` = ? limit ?',
      'db.namespace': ':memory:',
    });
    expect(execute.status).toEqual({ code: SpanStatusCode.UNSET });
    // The original's db_trace_as_spans: the statement noted when sent and when answered, the second with its duration.
    const statement = 'select * from `users` where `email` = ? limit ?';
    expect(execute.events.map((e) => e.name)).toEqual([statement, statement]);
    expect(execute.events.map((e) => typeof e.attributes?.['tomograph.note.duration_ms'])).toEqual([
      'undefined',
      'number',
    ]);
    expect(requestSpan.events).toEqual([]);
  });

  it('ends a failing statement span with ERROR status and the exception recorded, without bound values', async () => {
    await request('POST /users', async () => {
      await harness.db('users').insert({ email: 'hunter2@example.org' });
      await harness
        .db('users')
        .insert({ email: 'hunter2@example.org' })
        .catch(() => undefined);
    });

    const [ok, failed] = harness.otel.spans().filter((s) => s.name === 'execute');
    expect(ok!.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(failed!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'UNIQUE constraint failed: users.email' });
    expect(failed!.attributes['error.type']).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(failed!.events.map((e) => e.name)).toEqual([
      'insert into `users` (`email`) values (?)',
      'database exception UNIQUE constraint failed: users.email',
      'exception',
    ]);
    const exception = failed!.events[2]!.attributes!;
    expect([exception['exception.type'], exception['exception.message']]).toEqual([
      'SQLITE_CONSTRAINT_UNIQUE',
      'UNIQUE constraint failed: users.email',
    ]);
    expect(String(exception['exception.stacktrace'])).toMatch(
      /^SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: users\.email\n\s+at /,
    );
    expect(JSON.stringify(harness.otel.spans().map((s) => [s.attributes, s.events, s.status]))).not.toContain(
      'hunter2',
    );
  });

  it('parents each statement span to the request that ran it, under concurrent requests', async () => {
    await Promise.all(
      [0, 1, 2, 3].map((i) =>
        request(`req ${i}`, async () => {
          for (let n = 0; n <= i; n += 1) await harness.db.raw('select ? as n', [n]);
        }),
      ),
    );

    const executes = harness.otel.spans().filter((s) => s.name === 'execute');
    const perRequest = [0, 1, 2, 3].map((i) => {
      const id = harness.otel.span(`req ${i}`).spanContext().spanId;
      return executes.filter((s) => parentIdOf(s) === id).length;
    });
    expect(perRequest).toEqual([1, 2, 3, 4]);
    expect(executes).toHaveLength(10);
  });

  it('parents the statements of a transaction to the request span', async () => {
    await request('POST /transfer', () =>
      harness.db.transaction(async (trx) => {
        await trx('users').insert({ email: 'a@example.org' });
        await trx('users').select('id');
      }),
    );

    const id = harness.otel.span('POST /transfer').spanContext().spanId;
    expect(
      harness.otel
        .spans()
        .filter((s) => s.name === 'execute')
        .map((s) => [parentIdOf(s) === id, s.attributes['db.operation.name']]),
    ).toEqual([
      [true, 'INSERT'],
      [true, 'SELECT'],
    ]);
  });

  it('makes a statement run outside any span a root `execute` span', async () => {
    await harness.db('users').select('id');
    const execute = harness.otel.span('execute');
    expect(parentIdOf(execute)).toBeUndefined();
    expect(tracing.getStats()).toMatchObject({ recorded: 1, outsideSpan: 1 });
  });
});
