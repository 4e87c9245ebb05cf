// In an app started with @opentelemetry/auto-instrumentations-node (http, undici, express, router on), the
// README's client snippet makes one trace, and every span a handler makes descends from the middleware's span,
// the knex instrumentation's included.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

interface SpanRow {
  name: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentId?: string;
  notes: string[];
}

async function runApp(): Promise<{ spans: SpanRow[]; received: string[]; activeAfter: string | null; stderr: string }> {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/integrations/fixtures/auto-instrumented-app.ts'],
    {
      cwd: root,
      timeout: 60_000,
    },
  );
  return { ...JSON.parse(stdout), stderr };
}

function ancestorsOf(span: SpanRow, spans: SpanRow[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const names: string[] = [];
  for (let parent = byId.get(span.parentId ?? ''); parent !== undefined; parent = byId.get(parent.parentId ?? ''))
    names.push(parent.name);
  return names;
}

describe('under auto-instrumentations-node', () => {
  // One run of the app for both tests: loading every instrumentation takes seconds.
  let app: Awaited<ReturnType<typeof runApp>>;
  beforeAll(async () => {
    app = await runApp();
  }, 60_000);

  it('the fetch client snippet sends one traceparent and the request makes one trace', async () => {
    const { spans, received, stderr } = app;
    expect(received).toHaveLength(1);
    expect(received[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // One trace for the request; the only span outside it is the knex instrumentation's for creating the table.
    const callTrace = spans.find((s) => s.name === 'call items')!.traceId;
    expect(spans.filter((s) => s.traceId !== callTrace).map((s) => [s.scope, s.name])).toEqual([
      ['@opentelemetry/instrumentation-knex', ':memory:'],
    ]);
    // The undici client span carries the header: the server's span continues it.
    const client = spans.find((s) => s.scope === '@opentelemetry/instrumentation-undici')!;
    expect(received[0]).toContain(client.spanId);
    expect(ancestorsOf(client, spans)).toEqual(['call items']);
    expect(stderr).toBe('');
  });

  it("every span the handler makes, facade or native, descends from the middleware's span, which descends from the server span", async () => {
    const { spans, activeAfter } = app;
    const httpServer = spans.find((s) => s.scope === '@opentelemetry/instrumentation-http')!;
    expect(
      ancestorsOf(
        spans.find((s) => s.name === 'HTTP')!,
        spans,
      ),
    ).toContain(httpServer.name);
    const knexSpan = spans.find(
      (s) => s.scope === '@opentelemetry/instrumentation-knex' && s.name.startsWith('select'),
    );
    expect(knexSpan, 'the knex instrumentation made a span').toBeDefined();
    expect(ancestorsOf(knexSpan!, spans)).toEqual(expect.arrayContaining(['load item', 'HTTP']));
    // traceKnex notes the statement on the facade span, not on the knex instrumentation's (which statsd leaves out).
    expect(spans.find((s) => s.name === 'load item')!.notes).toEqual([
      'select `id` from `items`',
      'select `id` from `items`',
    ]);
    expect(knexSpan!.notes).toEqual([]);
    for (const name of ['load item', 'native work', 'request handler - /items/:id']) {
      expect(
        ancestorsOf(
          spans.find((s) => s.name === name)!,
          spans,
        ),
        name,
      ).toContain('HTTP');
    }
    expect(activeAfter).toBeNull();
  });
});
