// SQL tracing under an existing OpenTelemetry SDK 1.x setup (1.30), which many services still run: both modes.
import { SpanStatusCode } from '@opentelemetry/api';
import type { Knex } from 'knex';
import { traceKnex } from 'tomograph';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';
import { openDatabase, request } from './database.js';

let otel: OtelHarness;
let db: Knex;

beforeAll(() => {
  otel = setupOtel('1.x');
});
afterAll(() => otel.teardown());
beforeEach(async () => {
  db = await openDatabase();
  otel.reset();
});
afterEach(() => db.destroy());

describe('SQL tracing on OpenTelemetry SDK 1.x', () => {
  it('records notes on the request span', async () => {
    const tracing = traceKnex(db, { name: 'nova' });
    await request('GET /users', async () => {
      await db('users').select('id');
      await db.raw('select * from nope').catch(() => undefined);
    });
    tracing.detach();
    expect(otel.span('GET /users').events.map((e) => e.name)).toEqual(['sql SELECT', 'sql SELECT', 'database exception SQLITE_ERROR']);
  });

  it('records execute spans under the request span, a failure with ERROR status', async () => {
    const tracing = traceKnex(db, { name: 'nova', asSpans: true });
    await request('GET /users', async () => {
      await db('users').select('id');
      await db.raw('select * from nope').catch(() => undefined);
    });
    tracing.detach();
    const id = otel.span('GET /users').spanContext().spanId;
    expect(otel.spans().filter((s) => s.name === 'execute').map((s) => [parentIdOf(s) === id, s.status.code]))
      .toEqual([[true, SpanStatusCode.UNSET], [true, SpanStatusCode.ERROR]]);
  });
});
