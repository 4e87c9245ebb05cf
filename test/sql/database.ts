// A real SQLite database through knex and better-sqlite3 for the SQL tracing tests, a request helper that runs
// code under a facade span in its own context boundary, as a server would per request, and the per-file harness
// (SDK, database, diag capture, tracing handles) that every knex test file sets up the same way.
import { DiagLogLevel } from '@opentelemetry/api';
import knexFactory, { type Knex } from 'knex';
import { start, stop, traceKnex, type KnexTracing, type TraceKnexOptions } from 'tomograph';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { withBoundary } from '../../src/context/boundary.js';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { OWN_LINE, setupOtel, type OtelHarness, type SdkLine } from '../support/otel.js';

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

/** What a knex test file works with; `db` and `diagnostics` are new for each test. */
export interface KnexHarness {
  readonly otel: OtelHarness;
  readonly db: Knex;
  readonly diagnostics: DiagCapture;
  /** traceKnex on this test's database; the handle is detached after the test. */
  trace(options: TraceKnexOptions): KnexTracing;
}

/**
 * Registers the hooks of a knex test file: the SDK of `line` for the file; for each test a fresh database, `diag`
 * captured at `diagLevel` and no finished spans; after it, every traced handle detached and the database destroyed.
 */
export function useKnexHarness(line: SdkLine = OWN_LINE, diagLevel: DiagLogLevel = DiagLogLevel.INFO): KnexHarness {
  let otel: OtelHarness | undefined;
  let db: Knex | undefined;
  let diagnostics: DiagCapture | undefined;
  const handles: KnexTracing[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the knex harness has no ${what} outside a test`);
    return value;
  };

  beforeAll(() => {
    otel = setupOtel(line);
  });
  afterAll(() => otel?.teardown());
  beforeEach(async () => {
    db = await openDatabase();
    diagnostics = captureDiag(diagLevel);
    otel?.reset();
  });
  afterEach(async () => {
    handles.splice(0).forEach((handle) => handle.detach());
    diagnostics?.restore();
    await db?.destroy();
  });

  return {
    get otel() {
      return ready(otel, 'SDK');
    },
    get db() {
      return ready(db, 'database');
    },
    get diagnostics() {
      return ready(diagnostics, 'diag capture');
    },
    trace(options) {
      const handle = traceKnex(ready(db, 'database'), options);
      handles.push(handle);
      return handle;
    },
  };
}
