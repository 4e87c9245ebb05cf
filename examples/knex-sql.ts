// SQL tracing on knex, end to end with no server: an in-memory SQLite database, two concurrent "requests" and a
// failing statement, printed by the 'log' backend. Run: npx tsx examples/knex-sql.ts
import knexFactory from 'knex';
import { configure, start, stop, traceKnex, traced } from 'tomograph';

const tomograph = configure({ backends: ['log'], serviceName: 'nova' });
const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });

// Default mode, the original's: each statement is noted on the request's span when sent and when answered (the
// second with its duration), named by its SQL text.
const tracing = traceKnex(db, { name: 'nova' });

await db.schema.createTable('servers', (table) => {
  table.increments('id');
  table.string('name').unique();
});

// `traced` gives each call its own context, so the two requests below never see each other's spans.
const handle = traced('nova api', 'POST /servers', { address: '10.0.0.1', port: 8774 })(async (name: string) => {
  await db('servers').insert({ name });
  return db('servers').where({ name }).first();
});

await Promise.all([handle('alpha'), handle('beta')]);

// A failing statement: its note is followed by `database exception UNIQUE constraint failed: servers.name`; the
// bound value ('alpha') is recorded nowhere.
start('nova api', 'POST /servers (duplicate)', '10.0.0.1', 8774);
await db('servers')
  .insert({ name: 'alpha' })
  .catch(() => undefined);
stop('POST /servers (duplicate)');

// asSpans: the same statements as child spans `execute` of service 'novadb client'.
tracing.detach();
const asSpans = traceKnex(db, { name: 'nova', asSpans: true });
// (Await the knex builder inside: a builder is a lazy thenable that runs its query again on every `then`.)
await traced('nova api', 'GET /servers', { address: '10.0.0.1', port: 8774 })(
  async () => await db('servers').select('name'),
)();

console.log('\nwhat traceKnex counted:', { notes: tracing.getStats(), spans: asSpans.getStats() });
asSpans.detach();
await db.destroy();
await tomograph.shutdown();
