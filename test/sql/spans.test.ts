// SQL tracing with asSpans: each statement a child span `execute` of service `<name>db client`, against a real
// SQLite database through knex and the real OpenTelemetry SDK.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Knex } from 'knex';
import { traceKnex, type KnexTracing } from 'tomograph';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';
import { openDatabase, request } from './database.js';

let otel: OtelHarness;
let db: Knex;
let tracing: KnexTracing;

beforeAll(() => {
  otel = setupOtel('2.x');
});
afterAll(() => otel.teardown());

beforeEach(async () => {
  db = await openDatabase();
  tracing = traceKnex(db, { name: 'nova', asSpans: true });
  otel.reset();
});
afterEach(async () => {
  tracing.detach();
  await db.destroy();
});

describe('statements as spans (asSpans)', () => {
  it('records a statement as a CLIENT span `execute` under the request span, with the database as endpoint', async () => {
    await request('GET /users', () => db('users').where({ email: 'alice@example.org' }).first());

    const requestSpan = otel.span('GET /users');
    const execute = otel.span('execute');
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
    expect(execute.events.map((e) => e.name)).toEqual(['sql SELECT']);
    expect(requestSpan.events).toEqual([]);
  });

  it('ends a failing statement span with ERROR status and the exception recorded, without bound values', async () => {
    await request('POST /users', async () => {
      await db('users').insert({ email: 'hunter2@example.org' });
      await db('users').insert({ email: 'hunter2@example.org' }).catch(() => undefined);
    });

    const [ok, failed] = otel.spans().filter((s) => s.name === 'execute');
    expect(ok!.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(failed!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'UNIQUE constraint failed: users.email' });
    expect(failed!.attributes['error.type']).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(failed!.events.map((e) => e.name)).toEqual(['sql INSERT', 'database exception SQLITE_CONSTRAINT_UNIQUE', 'exception']);
    const exception = failed!.events[2]!.attributes!;
    expect([exception['exception.type'], exception['exception.message']]).toEqual(['SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: users.email']);
    expect(String(exception['exception.stacktrace'])).toMatch(/^SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: users\.email\n\s+at /);
    expect(JSON.stringify(otel.spans().map((s) => [s.attributes, s.events, s.status]))).not.toContain('hunter2');
  });

  it('parents each statement span to the request that ran it, under concurrent requests', async () => {
    await Promise.all([0, 1, 2, 3].map((i) => request(`req ${i}`, async () => {
      for (let n = 0; n <= i; n += 1) await db.raw('select ? as n', [n]);
    })));

    const executes = otel.spans().filter((s) => s.name === 'execute');
    const perRequest = [0, 1, 2, 3].map((i) => {
      const id = otel.span(`req ${i}`).spanContext().spanId;
      return executes.filter((s) => parentIdOf(s) === id).length;
    });
    expect(perRequest).toEqual([1, 2, 3, 4]);
    expect(executes).toHaveLength(10);
  });

  it('parents the statements of a transaction to the request span', async () => {
    await request('POST /transfer', () => db.transaction(async (trx) => {
      await trx('users').insert({ email: 'a@example.org' });
      await trx('users').select('id');
    }));

    const id = otel.span('POST /transfer').spanContext().spanId;
    expect(otel.spans().filter((s) => s.name === 'execute').map((s) => [parentIdOf(s) === id, s.attributes['db.operation.name']]))
      .toEqual([[true, 'INSERT'], [true, 'SELECT']]);
  });

  it('makes a statement run outside any span a root `execute` span', async () => {
    await db('users').select('id');
    const execute = otel.span('execute');
    expect(parentIdOf(execute)).toBeUndefined();
    expect(tracing.stats()).toMatchObject({ recorded: 1, outsideSpan: 1 });
  });
});
