// The exporter against a real Etsy statsd daemon over UDP and TCP: the legacy golden cases through every SDK
// pipeline, tag mode, hostile names, the name bound, and the Datadog environment left alone.
import { OWN_LINE } from '../support/otel.js';
import { SpanKind } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { useStatsdDaemon, type StatsdDaemon } from '../support/statsd-daemon.js';
import { GOLDEN, recordNative } from './golden.js';
import { PIPELINES, pipeline, watchHost, type HostWatch } from './pipelines.js';

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

const ALL_GOLDEN_LINES = GOLDEN.flatMap((golden) => golden.lines);

for (const protocol of ['udp', 'tcp'] as const) {
  const portOf = (): number => (protocol === 'udp' ? daemon.udpPort : daemon.tcpPort);

  describe(`over ${protocol.toUpperCase()}`, () => {
    for (const kind of PIPELINES) {
      it(`every legacy golden case reaches the daemon byte for byte through a ${kind} processor`, async () => {
        const exporter = new StatsdSpanExporter({ host: daemon.host, port: portOf(), protocol });
        const traced = pipeline(kind, exporter);
        for (const golden of GOLDEN) recordNative(traced.tracer(golden.span.serviceName), golden);
        await traced.shutdown();

        const lines = await daemon.waitForLines(ALL_GOLDEN_LINES.length);
        expect(lines).toEqual(ALL_GOLDEN_LINES);
        expect(await daemon.badLines()).toBe(0);
        expect(exporter.getStats()).toMatchObject({
          spansSent: GOLDEN.length,
          metricsSent: ALL_GOLDEN_LINES.length,
          sendErrors: 0,
          spansDropped: 0,
        });
        expect(host.consoleCalls()).toBe(0);
      });
    }

    it('tag mode sends fixed names with service, span, endpoint, kind and status as tags', async () => {
      const exporter = new StatsdSpanExporter({
        host: daemon.host,
        port: portOf(),
        protocol,
        naming: 'tags',
        prefix: 'app',
      });
      const traced = pipeline(`${OWN_LINE} batch`, exporter);
      const tracer = traced.tracer('nova api');
      for (const name of ['GET /servers', 'GET /servers', 'POST /servers']) {
        const span = tracer.startSpan(name, {
          kind: SpanKind.SERVER,
          attributes: { 'server.address': 'api.example.com', 'server.port': 8774 },
        });
        span.addEvent('db call');
        span.end();
      }
      await traced.shutdown();

      const counters = await daemon.waitForCounters((c) => Object.keys(c).some((k) => k.startsWith('app.span.note')));
      // statsd 0.9 turns DogStatsD tags into Graphite tagged names: name;k=v;…
      const base = 'service=nova_api;span=GET_/servers;endpoint=api.example.com_8774;kind=server;status=unset';
      expect(counters[`app.span.note;${base};note=db_call`]).toBe(2);
      const timers = await daemon.timers();
      expect(Object.keys(timers).sort()).toEqual([
        `app.span.duration;${base}`,
        `app.span.duration;${base.replace('GET', 'POST')}`,
      ]);
      expect(timers[`app.span.duration;${base}`]).toHaveLength(2);
      expect(await daemon.badLines()).toBe(0);
    });

    it('a hostile span name and note create no second metric and no bad line', async () => {
      const exporter = new StatsdSpanExporter({ host: daemon.host, port: portOf(), protocol });
      const traced = pipeline(`${OWN_LINE} simple`, exporter);
      const span = traced
        .tracer('svc')
        .startSpan('evil:1|c\ninjected:5|c\r\0#x@1 ünï', { attributes: { 'server.address': 'h', 'server.port': 1 } });
      span.addEvent('SELECT * FROM t WHERE id = :uuid_1|@0.1|#a:b\nx:1|c');
      span.end();
      await traced.shutdown();

      await daemon.waitForLines(4);
      const counters = await daemon.counters();
      const names = Object.keys(counters)
        .filter((k) => !k.startsWith('statsd.'))
        .sort();
      // Each separator became `_`, the space `-` (as in the original), each non-ASCII letter `_`.
      const spanName = 'svc-h-1.evil_1_c_injected_5_c___x_1-_n_';
      expect(names).toEqual([
        `${spanName}.SELECT-*-FROM-t-WHERE-id-=-_uuid_1__0.1__a_b_x_1_c`,
        `${spanName}.start`,
        `${spanName}.stop`,
      ]);
      expect(Object.keys(await daemon.timers())).toEqual([spanName]);
      expect(await daemon.badLines()).toBe(0);
    });
  });
}

describe('Telegraf tags', () => {
  it("tagFormat 'telegraf' puts the tags after the name, as Telegraf's statsd input reads them", async () => {
    const exporter = new StatsdSpanExporter({
      host: daemon.host,
      port: daemon.udpPort,
      naming: 'tags',
      tagFormat: 'telegraf',
      notes: 'fixed',
    });
    const traced = pipeline(`${OWN_LINE} batch`, exporter);
    const span = traced
      .tracer('api')
      .startSpan('GET /x', { attributes: { 'server.address': 'h', 'server.port': 80 }, startTime: [1, 0] });
    span.addEvent('cache miss');
    span.end([1, 7_000_000]);
    await traced.shutdown();
    expect(await daemon.waitForLines(3)).toEqual([
      'span.duration,service=api,span=GET_/x,endpoint=h_80,kind=internal,status=unset:7|ms',
      'span.calls,service=api,span=GET_/x,endpoint=h_80,kind=internal,status=unset:1|c',
      'span.note,service=api,span=GET_/x,endpoint=h_80,kind=internal,status=unset:1|c',
    ]);
    expect(await daemon.badLines()).toBe(0);
  });
});

describe('bounds and environment', () => {
  it('past maxMetricNames new names count on tomograph.overflow and the drop is reported', async () => {
    const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, maxMetricNames: 4 });
    const traced = pipeline(`${OWN_LINE} batch`, exporter);
    const tracer = traced.tracer('db');
    for (const statement of ['SELECT 1', 'SELECT 2', 'SELECT 3']) {
      const span = tracer.startSpan('query', { attributes: { 'server.address': 'h', 'server.port': 1 } });
      span.addEvent(statement);
      span.end();
    }
    await traced.shutdown();

    const counters = await daemon.waitForCounters((c) => c['tomograph.overflow'] === 2);
    expect(counters['db-h-1.query.SELECT-1']).toBe(1);
    expect(counters['db-h-1.query.SELECT-2']).toBeUndefined();
    expect(counters['tomograph.overflow']).toBe(2);
    expect(exporter.getStats().metricsOverflowed).toBe(2);
    expect(host.warnings.some((w) => w.includes('beyond the distinct-name bound'))).toBe(true);
  });

  it('DD_* variables in the environment change no line unless datadog is asked for', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      DD_ENV: 'prod',
      DD_SERVICE: 'x',
      DD_TAGS: 'team:a',
      DD_CARDINALITY: 'low',
      DD_AGENT_HOST: '192.0.2.1',
      DD_DOGSTATSD_PORT: '1',
    });
    try {
      const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort });
      const traced = pipeline(`${OWN_LINE} batch`, exporter);
      recordNative(traced.tracer(GOLDEN[0]!.span.serviceName), GOLDEN[0]!);
      await traced.shutdown();
    } finally {
      process.env = saved;
    }
    expect(await daemon.waitForLines(3)).toEqual(GOLDEN[0]!.lines);
    const counters = await daemon.counters();
    expect(Object.keys(counters).filter((k) => k.includes('datadog'))).toEqual([]);
  });

  it('datadog: true lets hot-shots add the DD_* tags', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { DD_ENV: 'prod', DD_TAGS: 'team:a' });
    try {
      const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, datadog: true });
      const traced = pipeline(`${OWN_LINE} batch`, exporter);
      recordNative(traced.tracer(GOLDEN[0]!.span.serviceName), GOLDEN[0]!);
      await traced.shutdown();
    } finally {
      process.env = saved;
    }
    const lines = (await daemon.waitForLines(3)).slice(0, 3);
    expect(lines.map((line) => line.slice(0, line.indexOf('|#')))).toEqual(GOLDEN[0]!.lines);
    for (const line of lines) expect(line).toMatch(/\|#.*\benv:prod\b/);
  });
});
