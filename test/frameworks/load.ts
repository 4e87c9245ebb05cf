// 200 concurrent connections to a traced app, each request with its own caller trace, and every span's parent
// checked: the request span continues its caller, and the handler's facade span, the OpenTelemetry-native span
// inside it and the SQL statement span (knex on better-sqlite3, traceKnex asSpans) inside that hang under it.
import http from 'node:http';
import { trace } from '@opentelemetry/api';
import knexFactory, { type Knex } from 'knex';
import { annotate, start, stop, traceKnex, type KnexTracing } from 'tomograph';
import { expect } from 'vitest';
import { get } from '../http/loopback.js';
import { parentIdOf, type OtelHarness } from '../support/otel.js';
import type { ReadableSpan } from '../support/sdk-line.js';
import type { Route, ServedApp } from './apps.js';

export const CONNECTIONS = 200;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Database {
  db: Knex;
  tracing: KnexTracing;
  close(): Promise<void>;
}

export function openDatabase(): Database {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  const tracing = traceKnex(db, { name: 'shop', asSpans: true });
  return {
    db,
    tracing,
    async close() {
      tracing.detach();
      await db.destroy();
    },
  };
}

/** GET /work?n=…: a note, a facade span around a pause and a native span around one SQL statement. */
export function workRoute(db: Knex): Route {
  return {
    method: 'GET',
    path: '/work',
    async handle({ url }) {
      const n = Number(new URL(url, 'http://localhost').searchParams.get('n'));
      annotate('handled');
      start('shop db', 'facade work');
      await pause(1 + (n % 5));
      const rows = await trace.getTracer('native').startActiveSpan('native work', async (span) => {
        try {
          return await db.raw('select ? as n', [n]);
        } finally {
          span.end();
        }
      });
      stop('facade work');
      return { body: { n, rows: (rows as unknown[]).length } };
    },
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const callerTrace = (n: number) => `4bf92f3577b34da6a3ce929d${hex(n + 1, 8)}`;
const callerSpan = (n: number) => `00f067aa${hex(n + 1, 8)}`;

async function waitFor(otel: OtelHarness, name: string, count: number): Promise<void> {
  for (let i = 0; i < 2000 && otel.spans().filter((s) => s.name === name).length < count; i++) await pause(10);
}

export interface LoadCheck {
  /** The request span's name. */
  requestName: string;
  /**
   * Instrumentation scopes whose spans may stand between the caller and the request span, or between it and the
   * handler's.
   */
  instrumentation: string[];
}

/** Runs 200 concurrent requests on 200 connections and checks every span of every request's trace. */
export interface LoadResult {
  spansPerRequest: number;
  /** In the first request's trace: the spans between the facade span and the request span, innermost first. */
  handlerPath: string[];
  /** The spans between the request span and the caller, innermost first. */
  callerPath: string[];
}

export async function loadAndCheck(app: ServedApp, otel: OtelHarness, check: LoadCheck): Promise<LoadResult> {
  otel.reset();
  const agent = new http.Agent({ keepAlive: false, maxSockets: CONNECTIONS });
  const replies = await Promise.all(
    Array.from({ length: CONNECTIONS }, (_, n) =>
      get(`${app.url}/work?n=${n}`, { traceparent: `00-${callerTrace(n)}-${callerSpan(n)}-01` }, agent),
    ),
  );
  agent.destroy();
  expect(replies.map((r) => r.status)).toEqual(Array(CONNECTIONS).fill(200));
  expect(replies.map((r) => (JSON.parse(r.body) as { n: number }).n)).toEqual(
    Array.from({ length: CONNECTIONS }, (_, n) => n),
  );
  await waitFor(otel, check.requestName, CONNECTIONS);

  const spans = otel.spans();
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of spans)
    byTrace.set(span.spanContext().traceId, [...(byTrace.get(span.spanContext().traceId) ?? []), span]);
  // Every span belongs to one of the 200 callers' traces: nothing started a trace of its own.
  expect([...byTrace.keys()].sort()).toEqual(Array.from({ length: CONNECTIONS }, (_, n) => callerTrace(n)).sort());

  const shapes = new Set<string>();
  const paths = { handlerPath: [] as string[], callerPath: [] as string[] };
  for (let n = 0; n < CONNECTIONS; n++) {
    const own = byTrace.get(callerTrace(n)) ?? [];
    const byId = new Map(own.map((s) => [s.spanContext().spanId, s]));
    const one = (name: string) => {
      const found = own.filter((s) => s.name === name);
      expect(found, `request ${n}: spans named ${name}`).toHaveLength(1);
      return found[0]!;
    };
    const request = one(check.requestName);
    const facade = one('facade work');
    const native = one('native work');
    const statement = one('execute');
    expect(parentIdOf(statement)).toBe(native.spanContext().spanId);
    expect(parentIdOf(native)).toBe(facade.spanContext().spanId);
    // Up from the facade span to the request span, and from the request span to the caller: only instrumentation.
    const between = (from: ReadableSpan, to: string): ReadableSpan[] => {
      const path: ReadableSpan[] = [];
      let parent = parentIdOf(from);
      while (parent !== undefined && parent !== to) {
        const span = byId.get(parent);
        expect(span, `request ${n}: the parent ${parent} of ${from.name} is in the trace`).toBeDefined();
        path.push(span!);
        parent = parentIdOf(span!);
      }
      expect(parent, `request ${n}: ${from.name} descends from ${to}`).toBe(to);
      return path;
    };
    const handlerPath = between(facade, request.spanContext().spanId);
    const callerPath = between(request, callerSpan(n));
    for (const span of [...handlerPath, ...callerPath])
      expect(check.instrumentation).toContain(span.instrumentationScope.name);
    if (n === 0)
      Object.assign(paths, { handlerPath: handlerPath.map((s) => s.name), callerPath: callerPath.map((s) => s.name) });
    // Every request's trace has the same shape: no span of one request landed in another's.
    shapes.add(
      own
        .map((s) => `${s.instrumentationScope.name}:${s.name}`)
        .sort()
        .join(','),
    );
  }
  expect(shapes.size).toBe(1);
  return { spansPerRequest: spans.length / CONNECTIONS, ...paths };
}
