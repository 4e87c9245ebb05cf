// Table tests of the pure SQL mapping: note names, attributes, endpoints and binding-free failures.
import { describe, expect, it } from 'vitest';
import { databaseEndpoint } from '../../src/integrations/knex/endpoint.js';
import { resolveKnexOptions } from '../../src/integrations/knex/options.js';
import {
  describeFailure,
  describeStatement,
  driverMessage,
  failureNoteName,
  operationOf,
  truncate,
} from '../../src/integrations/knex/statement.js';

const defaults = resolveKnexOptions({ name: 'nova' });
const byOperation = resolveKnexOptions({ name: 'nova', noteText: 'operation' });
const legacyText = resolveKnexOptions({ name: 'nova', noteText: 'statement', maxQueryTextLength: 20 });
const sqlite = databaseEndpoint({ driverName: 'better-sqlite3', config: { connection: { filename: ':memory:' } } });

/** The note name describeStatement gives `sql`. */
const noteNameOf = (sql: string, settings = defaults): string => describeStatement(sql, sqlite, settings).noteName;

describe('operationOf', () => {
  it.each([
    ['select * from `users` where `id` = ?', 'SELECT'],
    ['  INSERT into t values (?)', 'INSERT'],
    ['update t set a = ?', 'UPDATE'],
    ['delete from t', 'DELETE'],
    ['-- a comment\n/* another */ (select 1) union (select 2)', 'SELECT'],
    ['with x as (select 1) select * from x', 'WITH'],
    ['BEGIN;', 'BEGIN'],
    ['create table `users` (`id` integer)', 'CREATE'],
    ['pragma table_info(`users`)', 'PRAGMA'],
    ['frobnicate the database', undefined],
    ['', undefined],
    ['42', undefined],
  ])('reads %j as %s', (sql, operation) => {
    expect(operationOf(sql)).toBe(operation);
  });
});

describe('statement note names', () => {
  it("names a statement by its operation with noteText 'operation', so distinct statements share one name", () => {
    expect(noteNameOf('select * from `users` where `id` = ?', byOperation)).toBe('sql SELECT');
    expect(noteNameOf('select `name` from `pets` limit ?', byOperation)).toBe('sql SELECT');
    expect(noteNameOf('frobnicate', byOperation)).toBe('sql OTHER');
  });

  it('names a statement by its text by default, as the original did', () => {
    expect(noteNameOf('select * from `users` where `id` = ?')).toBe('select * from `users` where `id` = ?');
  });

  it("names a statement by its text with noteText 'statement', cut to maxQueryTextLength", () => {
    expect(noteNameOf('select 1', legacyText)).toBe('select 1');
    expect(noteNameOf('select * from `users` where `id` = ?', legacyText)).toBe('select * from `user…');
  });

  it('truncate keeps short text and marks a cut with an ellipsis within the limit', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
  });
});

describe('describeStatement attributes', () => {
  it('records the semantic-convention attributes of a server database and never the bindings', () => {
    const endpoint = databaseEndpoint({
      driverName: 'pg',
      config: { connection: { host: 'db1', port: 5433, database: 'nova', password: 's3cret' } },
    });
    expect(describeStatement('select * from users where id = $1', endpoint, defaults).attributes).toEqual({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.query.text': 'select * from users where id = $1',
      'db.namespace': 'nova',
      'server.address': 'db1',
      'server.port': 5433,
    });
  });

  it('keeps server.* off the notes, which count under the endpoint of the span they are on', () => {
    const endpoint = databaseEndpoint({
      driverName: 'pg',
      config: { connection: { host: 'db1', port: 5433, database: 'nova' } },
    });
    expect(describeStatement('select 1', endpoint, defaults).noteAttributes).toEqual({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.query.text': 'select 1',
      'db.namespace': 'nova',
    });
  });

  it('leaves out the operation it cannot read, and the text when maxQueryTextLength is 0', () => {
    const endpoint = databaseEndpoint({
      driverName: 'better-sqlite3',
      config: { connection: { filename: ':memory:' } },
    });
    const noText = resolveKnexOptions({ name: 'nova', maxQueryTextLength: 0 });
    expect(describeStatement('frobnicate', endpoint, noText).attributes).toEqual({
      'db.system.name': 'sqlite',
      'db.namespace': ':memory:',
    });
  });
});

describe('databaseEndpoint', () => {
  it.each([
    [
      'an SQLite file',
      { driverName: 'better-sqlite3', config: { connection: { filename: '/tmp/x.db' } } },
      { system: 'sqlite', address: '127.0.0.1', port: 0, namespace: '/tmp/x.db' },
    ],
    [
      'a host without a port',
      { driverName: 'mysql2', config: { connection: { host: 'db.example.org', user: 'root', password: 'pw' } } },
      { system: 'mysql', address: 'db.example.org', port: 0, serverAddress: 'db.example.org' },
    ],
    [
      'a port given as a string',
      { driverName: 'pg', config: { connection: { host: 'h', port: '6543' } } },
      { system: 'postgresql', address: 'h', port: 6543, serverAddress: 'h', serverPort: 6543 },
    ],
    [
      'a connection URL with credentials',
      { driverName: 'pg', config: { connection: 'postgres://admin:hunter2@db2:5432/orders?sslmode=require' } },
      { system: 'postgresql', address: 'db2', port: 5432, serverAddress: 'db2', serverPort: 5432, namespace: 'orders' },
    ],
    [
      'a connectionString field',
      { driverName: 'pg', config: { connection: { connectionString: 'postgresql://u:p@[::1]:5439/d' } } },
      { system: 'postgresql', address: '::1', port: 5439, serverAddress: '::1', serverPort: 5439, namespace: 'd' },
    ],
    [
      'a libpq key=value string',
      { driverName: 'pg', config: { connection: 'host=db3 password=hunter2' } },
      { system: 'postgresql', address: '127.0.0.1', port: 0 },
    ],
    [
      'a connection function not yet resolved',
      { driverName: 'pg', config: { connection: () => ({}) } },
      { system: 'postgresql', address: '127.0.0.1', port: 0 },
    ],
    [
      'the resolved settings over the config',
      { driverName: 'mssql', connectionSettings: { server: 'sql1', port: 1433 }, config: { connection: () => ({}) } },
      { system: 'microsoft.sql_server', address: 'sql1', port: 1433, serverAddress: 'sql1', serverPort: 1433 },
    ],
    ['an unknown driver', { config: { client: 'exotic' } }, { system: 'other_sql', address: '127.0.0.1', port: 0 }],
  ])('reads %s', (_what, client, endpoint) => {
    expect(databaseEndpoint(client)).toEqual(endpoint);
  });

  it('never carries a password or user name in any field', () => {
    const endpoint = databaseEndpoint({
      driverName: 'pg',
      config: { connection: 'postgres://admin:hunter2@db2:5432/orders' },
    });
    expect(JSON.stringify(endpoint)).not.toMatch(/hunter2|admin/);
  });
});

describe('failures', () => {
  const sql = 'insert into `users` (`email`) values (?)';

  it('cuts the statement with its bound values out of a knex error message', () => {
    expect(
      driverMessage("insert into `users` (`email`) values ('a@b.c') - UNIQUE constraint failed: users.email", sql),
    ).toBe('UNIQUE constraint failed: users.email');
    expect(driverMessage('select 1 - no such table: x', 'select 1')).toBe('no such table: x');
  });

  it('cuts after the last occurrence of the statement end, even when a bound value contains it', () => {
    const message = "select * from t where a = 'x) - ' and b = 'y' - boom";
    expect(driverMessage(message, 'select * from t where a = ? and b = ?')).toBe('boom');
  });

  it('gives no message when the knex prefix cannot be found', () => {
    expect(driverMessage('connection refused', sql)).toBeUndefined();
    expect(driverMessage('totally different', 'select 1')).toBeUndefined();
  });

  it('describes a driver error by its code, its message without values, and its frames', () => {
    const error = Object.assign(
      new Error("insert into `users` (`email`) values ('hunter2') - UNIQUE constraint failed: users.email"),
      {
        code: 'SQLITE_CONSTRAINT_UNIQUE',
      },
    );
    error.stack =
      "SqliteError: insert into `users` (`email`) values ('hunter2') - UNIQUE constraint failed: users.email\n    at f (a.js:1:1)\n    at g (b.js:2:2)";
    const failure = describeFailure(error, sql);
    expect(failure).toEqual({
      type: 'SQLITE_CONSTRAINT_UNIQUE',
      message: 'UNIQUE constraint failed: users.email',
      stack:
        'SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: users.email\n    at f (a.js:1:1)\n    at g (b.js:2:2)',
    });
    expect(JSON.stringify(failure)).not.toContain('hunter2');
  });

  it('falls back to the class name, and to the type of a thrown non-error', () => {
    class DriverError extends Error {
      override name = 'DriverError';
    }
    expect(describeFailure(new DriverError('opaque'), sql).type).toBe('DriverError');
    expect(describeFailure(Object.assign(new Error('x'), { code: 1205 }), sql).type).toBe('1205');
    expect(describeFailure('a string', sql)).toEqual({ type: 'string' });
  });

  it("names the failure note by the error type with noteText 'operation' and by the message in statement mode (the default)", () => {
    const failure = { type: 'SQLITE_ERROR', message: 'no such table: nope, really not there' };
    expect(failureNoteName(failure, byOperation)).toBe('database exception SQLITE_ERROR');
    expect(failureNoteName(failure, defaults)).toBe('database exception no such table: nope, really not there');
    expect(failureNoteName(failure, legacyText)).toBe('database exception no such table: nope…');
    expect(failureNoteName({ type: 'SQLITE_ERROR' }, legacyText)).toBe('database exception SQLITE_ERROR');
  });
});
