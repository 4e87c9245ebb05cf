// Under the express and router instrumentations (auto-instrumentations-node), notes and tags a handler makes (and
// traceKnex's SQL notes) land on the request span or on the span the handler opened, never on an instrumentation's
// layer span ('request handler - …', 'middleware - …'): the legacy counters at a real statsd daemon are the same
// with and without auto-instrumentation.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../support/ports.js';
import { useStatsdDaemon } from '../support/statsd-daemon.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const theDaemon = useStatsdDaemon();

interface SpanRow {
  name: string;
  scope: string;
  notes: string[];
  tags: string[];
}

interface AppRun {
  spans: SpanRow[];
  /** The counters the daemon got from this run (its own `statsd.*` left out). */
  counters: Record<string, number>;
}

async function runApp(auto: boolean, port: number): Promise<AppRun> {
  const daemon = theDaemon();
  await daemon.clear();
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'test/integrations/fixtures/express-notes-app.ts'],
    {
      cwd: root,
      timeout: 60_000,
      env: { ...process.env, AUTO: auto ? '1' : '0', PORT: String(port), STATSD_PORT: String(daemon.udpPort) },
    },
  );
  const { spans } = JSON.parse(stdout) as { spans: SpanRow[] };
  // Each facade span ends with a `.stop` count: wait until all of them arrived.
  const facadeSpans = spans.filter((s) => s.scope === 'tomograph').length;
  const stops = (c: Record<string, number>) =>
    Object.entries(c).reduce((sum, [name, value]) => sum + (name.endsWith('.stop') ? value : 0), 0);
  const all = await daemon.waitForCounters((c) => stops(c) >= facadeSpans);
  const counters = Object.fromEntries(Object.entries(all).filter(([name]) => !name.startsWith('statsd.')));
  return { spans, counters };
}

describe('notes and tags in Express handlers, with and without auto-instrumentation', () => {
  let plain: AppRun;
  let auto: AppRun;
  let port: number;
  beforeAll(async () => {
    port = await freeTcpPort();
    plain = await runApp(false, port);
    auto = await runApp(true, port);
  }, 120_000);

  it('puts them on the request span and on the span the handler opened, in both runs', () => {
    for (const { spans } of [plain, auto]) {
      const requests = spans.filter((s) => s.scope === 'tomograph' && s.name === 'HTTP');
      expect(requests.map((s) => [s.notes, s.tags])).toEqual([
        [['middleware passed', 'item requested', 'item sent'], ['item.id']],
        // traceKnex notes the statement as the original's listeners did: by its text, when sent and when answered.
        [['middleware passed', 'select 1', 'select 1', 'order read'], ['order.id']],
      ]);
      expect(spans.find((s) => s.name === 'load item')!.notes).toEqual(['item loaded']);
    }
  });

  it("puts none on an instrumentation's span", () => {
    const layers = auto.spans.filter((s) => s.scope !== 'tomograph');
    // The instrumentations did run: their layer spans for the middleware and both handlers are there.
    expect(layers.map((s) => s.name)).toEqual(
      expect.arrayContaining(['request handler - /items/:id', 'request handler - /shop/orders/:id']),
    );
    for (const layer of layers) expect([layer.name, layer.notes, layer.tags]).toEqual([layer.name, [], []]);
  });

  it('sends the same legacy counters to statsd with and without auto-instrumentation', () => {
    const request = `api-127-0-0-1-${port}.HTTP`;
    const load = Object.keys(plain.counters)
      .find((name) => name.endsWith('.load-item.start'))!
      .slice(0, -'.start'.length);
    // traceKnex's notes on the request span, under its endpoint, as the original's SQL listeners made them.
    const sqlNote = `${request}.select-1`;
    expect(plain.counters).toEqual({
      [`${request}.start`]: 2,
      [`${request}.middleware-passed`]: 2,
      [`${request}.item-requested`]: 1,
      [`${request}.item-sent`]: 1,
      [`${request}.order-read`]: 1,
      [sqlNote]: 2,
      [`${request}.stop`]: 2,
      [`${load}.start`]: 1,
      [`${load}.item-loaded`]: 1,
      [`${load}.stop`]: 1,
    });
    expect(auto.counters).toEqual(plain.counters);
  });
});
