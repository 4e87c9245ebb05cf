// The README's job-processor recipe on a real BullMQ worker (concurrency 8) and a real Redis, with the ioredis
// instrumentation on: one trace per job, continuing its producer's trace when the job carries a token, and no span
// of one job — its own, a facade span inside it, a Redis command it sent — in another job's trace.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const JOBS = 40;
const CONCURRENCY = 8;

interface SpanRow {
  name: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentId?: string;
  orderId?: number;
  statement?: string;
  notes: string[];
}

interface AppRun {
  spans: SpanRow[];
  activeAfterStop: { id: number; own?: string; after?: string }[];
  completed: number;
  failed: number;
}

/** The order a span says it is about: its `order.id` tag, the key or job data of its Redis command, or its note. */
function claimedOrder(span: SpanRow): number | undefined {
  if (typeof span.orderId === 'number') return span.orderId;
  const match =
    /order:(\d+):/.exec(span.statement ?? '') ??
    /"id":(\d+)/.exec(span.statement ?? '') ??
    /^charged (\d+)$/.exec(span.notes[0] ?? '');
  return match === null ? undefined : Number(match[1]);
}

describe("a BullMQ worker whose processor is traced with the job's token", () => {
  let redis: RedisServer;
  let app: AppRun;
  beforeAll(async () => {
    redis = await startRedisServer();
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'test/integrations/fixtures/bullmq-worker-app.ts'],
      {
        cwd: root,
        timeout: 90_000,
        env: { ...process.env, REDIS_PORT: String(redis.port), JOBS: String(JOBS), CONCURRENCY: String(CONCURRENCY) },
      },
    );
    app = JSON.parse(stdout) as AppRun;
  }, 120_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('processes every job, each in a trace of its own', () => {
    expect([app.completed, app.failed]).toEqual([JOBS, 0]);
    const jobs = app.spans.filter((s) => s.scope === 'tomograph' && s.name === 'process order');
    expect(jobs.map((s) => s.orderId).sort((a, b) => a! - b!)).toEqual([...Array(JOBS).keys()]);
    expect(new Set(jobs.map((s) => s.traceId)).size).toBe(JOBS);
  });

  it("continues the producer's trace when the job carries a token, and starts a new one when it does not", () => {
    const jobs = app.spans.filter((s) => s.scope === 'tomograph' && s.name === 'process order');
    const producers = new Map(app.spans.filter((s) => s.name === 'enqueue order').map((s) => [s.orderId, s]));
    expect(producers.size).toBe(JOBS / 2);
    for (const job of jobs) {
      const producer = producers.get(job.orderId);
      if (job.orderId! % 2 === 0) {
        expect([job.traceId, job.parentId], `job ${job.orderId}`).toEqual([producer!.traceId, producer!.spanId]);
      } else {
        expect(job.parentId, `job ${job.orderId}`).toBeUndefined();
      }
    }
  });

  it("puts each job's facade and Redis spans under that job's span, and no span of one job in another's trace", () => {
    const byId = new Map(app.spans.map((s) => [s.spanId, s]));
    const jobOf = (span: SpanRow): SpanRow | undefined => {
      for (let parent = byId.get(span.parentId ?? ''); parent !== undefined; parent = byId.get(parent.parentId ?? '')) {
        if (parent.name === 'process order') return parent;
      }
      return undefined;
    };
    const inJobs = app.spans.filter(
      (s) =>
        s.name === 'charge' ||
        (s.scope === '@opentelemetry/instrumentation-ioredis' && /order:\d+:/.test(s.statement ?? '')),
    );
    // A charge span and two Redis commands (incr, get) per job.
    expect(inJobs).toHaveLength(3 * JOBS);
    for (const span of inJobs) {
      const job = jobOf(span);
      expect([job?.orderId, job?.traceId], `${span.name} of order ${claimedOrder(span)}`).toEqual([
        claimedOrder(span),
        span.traceId,
      ]);
    }
    // Every trace is about one order only: the producer's span and its Redis command, the job and all inside it.
    const ordersByTrace = new Map<string, Set<number | undefined>>();
    for (const span of app.spans) {
      const orders = ordersByTrace.get(span.traceId) ?? new Set();
      orders.add(claimedOrder(span));
      ordersByTrace.set(span.traceId, orders);
    }
    for (const [traceId, orders] of ordersByTrace) expect([...orders], traceId).toHaveLength(1);
  });

  it("leaves the job's own span active after its stop(), never another job's", () => {
    expect(app.activeAfterStop).toHaveLength(JOBS);
    for (const { id, own, after } of app.activeAfterStop) {
      expect(own, `job ${id}`).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(after, `job ${id}`).toBe(own);
    }
  });
});
