// The statsd path of an existing setup on real HTTP: instrumentation-http, the SDK's default BatchSpanProcessor and
// the exporter, with 2,000 keep-alive requests over 20 connections on 127.0.0.1; every server span is counted at
// the daemon and none is dropped. Counts only: the rates are the benchmark's business (npm run bench).
import { Agent } from 'node:http';
import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHttpInstrumentation } from '../support/http-instrumentation.js';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { get, listen } from '../http/loopback.js';
import { batchProcessor, newProvider } from '../support/sdk-line.js';
import { useStatsdDaemon } from '../support/statsd-daemon.js';

const theDaemon = useStatsdDaemon({ dumpMessages: false });
let unregister: () => void;
beforeAll(() => {
  unregister = registerHttpInstrumentation();
});
afterAll(() => {
  unregister();
  trace.disable();
});

describe('an existing setup under HTTP load', () => {
  it('2,000 requests over 20 keep-alive connections: 2,000 server spans counted at the daemon, none dropped', async () => {
    const daemon = theDaemon();
    // The HTTP server spans are what this app has: count them (auto-instrumentation is left out by default).
    const exporter = new StatsdSpanExporter({
      host: daemon.host,
      port: daemon.udpPort,
      hostName: 'h',
      excludeScopes: [],
      kinds: ['server'],
    });
    const provider = newProvider({
      resource: resourceFromAttributes({ 'service.name': 'app' }),
      spanProcessors: [batchProcessor(exporter)],
    });
    trace.setGlobalTracerProvider(provider);
    const app = express();
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    const server = await listen(app);
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    let answered = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = 0; i < 100; i += 1) if ((await get(server.url, {}, agent)).status === 200) answered += 1;
      }),
    );
    agent.destroy();
    await server.close();
    await provider.shutdown();

    expect(answered).toBe(2000);
    const counters = await daemon.waitForCounters((c) =>
      Object.entries(c).some(([name, value]) => name.endsWith('.stop') && value === 2000),
    );
    const stops = Object.entries(counters).filter(([name]) => name.endsWith('.stop'));
    expect(stops).toHaveLength(1);
    expect(stops[0]![1]).toBe(2000);
    expect(exporter.getStats()).toMatchObject({ spansSent: 2000, spansDropped: 0, linesDropped: 0, sendErrors: 0 });
    expect(await daemon.badLines()).toBe(0);
  });
});
