// What a Graphite user gets from SQL tracing: the statsd names that knex statements produce through the statsd
// exporter and a real Etsy statsd daemon, in both modes, and how they stay bounded.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { newProvider, simpleProcessor, type LineProvider } from '../support/sdk-line.js';
import type { Knex } from 'knex';
import { traceKnex, type KnexTracing, type TraceKnexOptions } from 'tomograph';
import { StatsdSpanExporter, type StatsdSpanExporterOptions } from 'tomograph/statsd';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useStatsdDaemon, type StatsdDaemon } from '../support/statsd-daemon.js';
import { openDatabase, request } from './database.js';

const theDaemon = useStatsdDaemon();
let daemon: StatsdDaemon;
let db: Knex;
let tracing: KnexTracing | undefined;
let provider: LineProvider | undefined;

beforeEach(async () => {
  daemon = theDaemon();
  db = await openDatabase();
});
afterEach(async () => {
  tracing?.detach();
  await provider?.shutdown();
  trace.disable();
  context.disable();
  await db.destroy();
});

/** Registers an SDK whose finished spans go to the statsd daemon, and traces `db` with `options`. */
function traceToStatsd(options: TraceKnexOptions, exporterOptions: StatsdSpanExporterOptions = {}): void {
  const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, ...exporterOptions });
  provider = newProvider({ spanProcessors: [simpleProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  tracing = traceKnex(db, options);
}

/** The counters the statements produced (the daemon's own `statsd.*` counters left out), once `expected` arrived. */
async function countersWhen(expected: number): Promise<Record<string, number>> {
  await provider!.forceFlush();
  const all = await daemon.waitForCounters(
    (c) =>
      Object.entries(c)
        .filter(([k]) => !k.startsWith('statsd.'))
        .reduce((n, [, v]) => n + v, 0) >= expected,
  );
  return Object.fromEntries(Object.entries(all).filter(([name]) => !name.startsWith('statsd.')));
}

/** 50 distinct SELECT statements and one failing one, in one request. */
async function report(): Promise<void> {
  await request('GET /report', async () => {
    for (let i = 0; i < 50; i += 1)
      await db.raw(`select ${i} as c${i} from users where email = ?`, [`user${i}@example.org`]);
    await db.raw('select * from nope').catch(() => undefined);
  });
}

describe('statsd names of SQL tracing', () => {
  it("with noteText 'operation' counts every statement of a request on one name per operation, twice, under the request's endpoint", async () => {
    traceToStatsd({ name: 'nova', noteText: 'operation' });
    await report();

    // Each statement noted when sent and when answered, as the original's listeners did; the failing one once, then its
    // exception.
    expect(await countersWhen(2 + 101 + 1)).toEqual({
      'nova-10-0-0-1-8774.GET-/report.start': 1,
      'nova-10-0-0-1-8774.GET-/report.stop': 1,
      'nova-10-0-0-1-8774.GET-/report.sql-SELECT': 101,
      'nova-10-0-0-1-8774.GET-/report.database-exception-SQLITE_ERROR': 1,
    });
    expect(Object.keys(await daemon.timers())).toEqual(['nova-10-0-0-1-8774.GET-/report']);
    expect(await daemon.badLines()).toBe(0);
  });

  it('with asSpans times every statement on one `execute` timer of the database client', async () => {
    traceToStatsd({ name: 'nova', asSpans: true, noteText: 'operation' });
    await report();

    expect(await countersWhen(2 + 51 * 2 + 101 + 2)).toEqual({
      'nova-10-0-0-1-8774.GET-/report.start': 1,
      'nova-10-0-0-1-8774.GET-/report.stop': 1,
      'novadb-client-127-0-0-1-0.execute.start': 51,
      'novadb-client-127-0-0-1-0.execute.stop': 51,
      'novadb-client-127-0-0-1-0.execute.sql-SELECT': 101,
      'novadb-client-127-0-0-1-0.execute.database-exception-SQLITE_ERROR': 1,
      'novadb-client-127-0-0-1-0.execute.exception': 1,
    });
    const timers = await daemon.timers();
    expect(Object.keys(timers).sort()).toEqual(['nova-10-0-0-1-8774.GET-/report', 'novadb-client-127-0-0-1-0.execute']);
    expect(timers['novadb-client-127-0-0-1-0.execute']).toHaveLength(51);
    expect(await daemon.badLines()).toBe(0);
  });

  it("by default (noteText 'statement') makes one name per statement, which the exporter's per-span bound cuts off", async () => {
    traceToStatsd({ name: 'nova' }, { maxNoteNamesPerSpan: 10 });
    await report();

    const counters = await countersWhen(2 + 101 + 1);
    const statementNames = Object.keys(counters).filter(
      (name) => name.startsWith('nova-10-0-0-1-8774.GET-/report.') && !/\.(start|stop)$/.test(name),
    );
    expect(statementNames).toHaveLength(10);
    expect(counters['nova-10-0-0-1-8774.GET-/report.select-0-as-c0-from-users-where-email-=-?']).toBe(2);
    // 10 names of 2 notes each kept; the other 82 notes counted on the overflow counter.
    expect(counters['tomograph.overflow']).toBe(82);
    expect(JSON.stringify(counters)).not.toContain('example.org');
    expect(await daemon.badLines()).toBe(0);
  });
});
