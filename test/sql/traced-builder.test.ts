// traced() around a function that returns a knex query builder (a lazy thenable that runs its query on each
// then()) runs the query once, and the span covers it.
import type { Knex } from 'knex';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { traced } from 'tomograph';
import { setupOtel, type OtelHarness } from '../support/otel.js';
import { openDatabase } from './database.js';

let otel: OtelHarness;
let db: Knex;
beforeEach(async () => {
  otel = setupOtel();
  db = await openDatabase();
});
afterEach(async () => {
  await db.destroy();
  await otel.teardown();
});

it('runs a returned knex builder once and ends the span when its query settles', async () => {
  const statements: string[] = [];
  db.on('query', (query: { sql: string }) => statements.push(query.sql));
  const insert = traced('nova', 'insert user')(() => db('users').insert({ email: 'a@example.com' }));
  await insert();
  expect(statements).toEqual(['insert into `users` (`email`) values (?)']);
  expect(await db('users').count({ n: '*' })).toEqual([{ n: 1 }]);
  expect(otel.span('insert user').status.code).toBe(0);
});

it('marks the span ERROR when the returned builder rejects, and the caller gets the same error', async () => {
  await db('users').insert({ email: 'taken@example.com' });
  const insert = traced('nova', 'insert duplicate')(() => db('users').insert({ email: 'taken@example.com' }));
  const error = await insert().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(String((error as Error).message)).toMatch(/UNIQUE constraint failed/);
  expect(otel.span('insert duplicate').status.code).toBe(2);
});
