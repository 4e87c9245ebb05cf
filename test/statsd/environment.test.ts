// One set of variables: TOMOGRAPH_STATSD_HOST, _PORT, _PROTOCOL, _PREFIX (and _PATH) read by a standalone exporter
// exactly as by configure(); options given in code win. Plus a backlog drained without loss at default pacing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { resolveOptions } from '../../src/config/options.js';
import { useStatsdDaemon, type StatsdDaemon } from '../support/statsd-daemon.js';

const theDaemon = useStatsdDaemon({ dumpMessages: false });
let daemon: StatsdDaemon;
const saved = { ...process.env };
beforeEach(() => {
  daemon = theDaemon();
});
afterEach(() => {
  process.env = { ...saved };
});

const SPAN = {
  name: 'op',
  kind: 0,
  duration: [0, 1_000_000] as [number, number],
  attributes: { 'service.name': 's' },
  events: [{ name: 'a' }, { name: 'b' }],
};

function exportAll(exporter: StatsdSpanExporter, spans: number, batch: number): Promise<number[]> {
  const results: Array<Promise<number>> = [];
  for (let i = 0; i < spans; i += batch) {
    results.push(
      new Promise((resolve) =>
        exporter.export(
          Array.from({ length: Math.min(batch, spans - i) }, () => SPAN),
          (r) => resolve(r.code),
        ),
      ),
    );
  }
  return Promise.all(results);
}

describe('TOMOGRAPH_STATSD_* variables', () => {
  it('a standalone exporter reads host, port, protocol and prefix from them', async () => {
    Object.assign(process.env, {
      TOMOGRAPH_STATSD_HOST: daemon.host,
      TOMOGRAPH_STATSD_PORT: String(daemon.tcpPort),
      TOMOGRAPH_STATSD_PROTOCOL: 'tcp',
      TOMOGRAPH_STATSD_PREFIX: 'env',
    });
    const exporter = new StatsdSpanExporter({ hostName: 'h' });
    expect(await exportAll(exporter, 1, 1)).toEqual([0]);
    await exporter.shutdown();
    const counters = await daemon.waitForCounters((c) => c['env.s-h-0.op.stop'] === 1);
    expect(counters['env.s-h-0.op.start']).toBe(1);
    expect(counters['statsd.metrics_received']).toBe(5);
  });

  it('options given in code win over the variables', async () => {
    Object.assign(process.env, { TOMOGRAPH_STATSD_HOST: 'no-such-host.invalid', TOMOGRAPH_STATSD_PREFIX: 'env' });
    const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, prefix: 'code', hostName: 'h' });
    expect(await exportAll(exporter, 1, 1)).toEqual([0]);
    await exporter.shutdown();
    expect((await daemon.waitForCounters((c) => c['code.s-h-0.op.stop'] === 1))['code.s-h-0.op.stop']).toBe(1);
  });

  it('configure() reads the same variables through the same reader, with the same messages', () => {
    const env = {
      TOMOGRAPH_STATSD_HOST: 'statsd.internal',
      TOMOGRAPH_STATSD_PORT: '9125',
      TOMOGRAPH_STATSD_PROTOCOL: 'tcp',
      TOMOGRAPH_STATSD_PREFIX: 'p',
    };
    expect(resolveOptions({}, env).statsd).toEqual({
      host: 'statsd.internal',
      port: 9125,
      protocol: 'tcp',
      prefix: 'p',
    });
    process.env.TOMOGRAPH_STATSD_PROTOCOL = 'sctp';
    expect(() => new StatsdSpanExporter()).toThrow(/TOMOGRAPH_STATSD_PROTOCOL must be udp, tcp or uds, got "sctp"/);
    expect(() => resolveOptions({}, { TOMOGRAPH_STATSD_PROTOCOL: 'sctp' })).toThrow(
      /TOMOGRAPH_STATSD_PROTOCOL must be udp, tcp or uds, got "sctp"/,
    );
  });
});

describe('a backlog', () => {
  // Paced below the default, so that a daemon starved of CPU by a busy test machine still reads every datagram: the
  // test is about the queue handing every line over and answering every export, not about the machine's speed.
  it('20,000 spans of 5 lines handed over in batches of 1,000 all reach the daemon over UDP, none dropped', async () => {
    const exporter = new StatsdSpanExporter({
      host: daemon.host,
      port: daemon.udpPort,
      hostName: 'h',
      maxBytesPerSecond: 2 << 20,
    });
    const results = await exportAll(exporter, 20_000, 1000);
    await exporter.shutdown();
    expect(results).toEqual(Array(20).fill(0));
    const counters = await daemon.waitForCounters((c) => c['statsd.metrics_received'] === 100_000, 10_000);
    expect(counters['statsd.metrics_received']).toBe(100_000);
    expect(counters['s-h-0.op.stop']).toBe(20_000);
    expect(exporter.getStats()).toMatchObject({ spansSent: 20_000, spansDropped: 0, linesDropped: 0 });
  });
});
