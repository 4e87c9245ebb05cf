// A real SQLite database through knex and better-sqlite3 for the SQL tracing tests, and a request helper that
// runs code under a facade span in its own context boundary, as a server would per request.
import knexFactory, { type Knex } from 'knex';
import { start, stop } from 'tomograph';
import { withBoundary } from '../../src/context/boundary.js';

/** An in-memory SQLite database with a `users` table (id, email unique). One connection: statements queue. */
export async function openDatabase(): Promise<Knex> {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  await db.schema.createTable('users', (table) => {
    table.increments('id');
    table.string('email').unique();
  });
  return db;
}

/** Runs `work` under the facade span `name` of service 'nova' (endpoint 10.0.0.1:8774), in a fresh boundary. */
export function request<T>(name: string, work: () => Promise<T>): Promise<T> {
  return withBoundary(async () => {
    start('nova', name, '10.0.0.1', 8774);
    try {
      return await work();
    } finally {
      stop(name);
    }
  });
}
