// Tag mode's calls, errors and duration, the overflow series, `h` durations, the client-side sample rate and the
// legacy error counter, as the real Etsy statsd daemon (0.9) counts them, read back through its admin port.
import { OWN_LINE } from '../support/otel.js';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { useStatsdDaemon, type StatsdDaemon } from '../support/statsd-daemon.js';
import { pipeline, watchHost, type HostWatch } from './pipelines.js';

const theDaemon = useStatsdDaemon();
let daemon: StatsdDaemon;
let host: HostWatch;
beforeEach(() => {
  daemon = theDaemon();
  host = watchHost();
});
afterEach(() => {
  host.restore();
});

const ENDPOINT = { 'server.address': 'api.example.com', 'server.port': 8774 };

/**
 * Spans of `serviceName` through the run's own SDK line: `ok` that succeed and `failed` that end with status ERROR and
 * 503.
 */
async function record(
  exporter: StatsdSpanExporter,
  spans: { name: string; ok: number; failed: number; route?: string }[],
): Promise<void> {
  const traced = pipeline(`${OWN_LINE} batch`, exporter);
  const tracer = traced.tracer('nova api');
  for (const { name, ok, failed, route } of spans) {
    for (let i = 0; i < ok + failed; i += 1) {
      const attributes = {
        ...ENDPOINT,
        ...(route === undefined ? {} : { 'http.route': route }),
        'http.response.status_code': i < ok ? 200 : 503,
      };
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes });
      if (i >= ok) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  }
  await traced.shutdown();
}

const BASE = 'service=nova_api;span=GET_/servers;endpoint=api.example.com_8774;kind=server';

describe('tag mode against the daemon', () => {
  it('counts calls and errors per series and times every span, with a dimension of the app', async () => {
    const exporter = new StatsdSpanExporter({
      host: daemon.host,
      port: daemon.udpPort,
      naming: 'tags',
      dimensions: ['http.route'],
    });
    await record(exporter, [{ name: 'GET /servers', ok: 7, failed: 3, route: '/servers' }]);
    const counters = await daemon.waitForCounters(
      (c) => c[`span.errors;${BASE};status=error;http.route=/servers;http.status_class=5xx`] === 3,
    );
    expect(counters[`span.calls;${BASE};status=unset;http.route=/servers`]).toBe(7);
    expect(counters[`span.calls;${BASE};status=error;http.route=/servers`]).toBe(3);
    const timers = await daemon.timers();
    expect(timers[`span.duration;${BASE};status=unset;http.route=/servers`]).toHaveLength(7);
    expect(await daemon.badLines()).toBe(0);
  });

  it('past maxSeriesPerMetric the spans of a new series count and time on the overflow series of each metric', async () => {
    const exporter = new StatsdSpanExporter({
      host: daemon.host,
      port: daemon.udpPort,
      naming: 'tags',
      maxSeriesPerMetric: 1,
    });
    await record(exporter, [
      { name: 'GET /servers', ok: 2, failed: 0 },
      { name: 'POST /servers', ok: 4, failed: 0 },
    ]);
    const counters = await daemon.waitForCounters((c) => c['span.calls;otel.metric.overflow=true'] === 4);
    expect(counters[`span.calls;${BASE};status=unset`]).toBe(2);
    const timers = await daemon.timers();
    expect(timers[`span.duration;${BASE};status=unset`]).toHaveLength(2);
    expect(timers['span.duration;otel.metric.overflow=true']).toHaveLength(4);
    expect(exporter.getStats().metricsOverflowed).toBe(8);
    expect(await daemon.badLines()).toBe(0);
  });

  it("Etsy statsd 0.9 reads an 'h' duration as a counter (it sums the values): 'h' is for DogStatsD and Telegraf", async () => {
    const exporter = new StatsdSpanExporter({
      host: daemon.host,
      port: daemon.udpPort,
      naming: 'tags',
      durationType: 'h',
    });
    const at = (ms: number): [number, number] => [1, ms * 1_000_000];
    for (const ms of [3, 4]) {
      await new Promise((resolve) =>
        exporter.export(
          [
            {
              name: 'GET /servers',
              kind: SpanKind.SERVER,
              startTime: at(0),
              endTime: at(ms),
              attributes: { 'service.name': 'nova api', ...ENDPOINT },
              events: [],
            },
          ],
          resolve,
        ),
      );
    }
    await exporter.shutdown();
    const counters = await daemon.waitForCounters((c) => c[`span.calls;${BASE};status=unset`] === 2);
    expect(counters[`span.duration;${BASE};status=unset`]).toBe(7);
    expect(await daemon.timers()).toEqual({});
    expect(await daemon.badLines()).toBe(0);
  });

  it('with sampleRate 0.25 the daemon scales the quarter sent back to every span', async () => {
    let draw = 0;
    // A deterministic draw: exactly every fourth span is sent.
    const exporter = new StatsdSpanExporter(
      { host: daemon.host, port: daemon.udpPort, naming: 'tags', sampleRate: 0.25 },
      { random: () => (draw++ % 4 === 0 ? 0.1 : 0.9) },
    );
    await record(exporter, [{ name: 'GET /servers', ok: 40, failed: 0 }]);
    const counters = await daemon.waitForCounters((c) => c[`span.calls;${BASE};status=unset`] === 40);
    expect(counters[`span.calls;${BASE};status=unset`]).toBe(40);
    expect(counters['statsd.metrics_received']).toBe(20);
    expect(exporter.getStats()).toMatchObject({ spansSent: 10, spansSampledOut: 30 });
    expect(await daemon.badLines()).toBe(0);
  });
});

describe('legacy naming against the daemon', () => {
  it('sends no new name by default; errorCounter: true adds <…>.errors for the failed spans', async () => {
    const plain = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort });
    await record(plain, [{ name: 'GET /servers', ok: 2, failed: 1 }]);
    let counters = await daemon.waitForCounters((c) => c['nova-api-api-example-com-8774.GET-/servers.stop'] === 3);
    expect(
      Object.keys(counters)
        .filter((name) => !name.startsWith('statsd.'))
        .sort(),
    ).toEqual(['nova-api-api-example-com-8774.GET-/servers.start', 'nova-api-api-example-com-8774.GET-/servers.stop']);

    await daemon.clear();
    const counting = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, errorCounter: true });
    await record(counting, [{ name: 'GET /servers', ok: 2, failed: 1 }]);
    counters = await daemon.waitForCounters((c) => c['nova-api-api-example-com-8774.GET-/servers.stop'] === 3);
    expect(counters['nova-api-api-example-com-8774.GET-/servers.errors']).toBe(1);
    expect(await daemon.badLines()).toBe(0);
  });
});
