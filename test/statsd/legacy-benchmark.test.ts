// The legacy benchmark through the facade: 10,000 `client request` spans each with a nested `server response`,
// in one synchronous loop, configure({ backends: ['statsd'] }) with default options, a real statsd daemon over
// UDP — nothing may be lost. Plus the golden cases through start/annotate/stop.
import { beforeEach, describe, expect, it } from 'vitest';
import { annotate, configure, start, stop } from 'tomograph';
import { useStatsdDaemon, type StatsdDaemon } from '../support/statsd-daemon.js';
import { GOLDEN, goldenNames } from './golden.js';
import { watchHost } from './pipelines.js';

const theDaemon = useStatsdDaemon();
/** A daemon at its normal speed, without the per-line log that `lines()` needs. */
const theQuietDaemon = useStatsdDaemon({ dumpMessages: false });
let daemon: StatsdDaemon;
let quietDaemon: StatsdDaemon;
beforeEach(() => {
  daemon = theDaemon();
  quietDaemon = theQuietDaemon();
});

describe('through the facade', () => {
  it('every legacy golden case, made with start/annotate/stop, gives the original names byte for byte', async () => {
    const tomograph = configure({ backends: ['statsd'], statsd: { host: daemon.host, port: daemon.udpPort } });
    for (const { span } of GOLDEN) {
      start(span.serviceName, span.name, span.address, span.port);
      for (const note of span.annotations) {
        const { serviceName, address, port } = note;
        annotate(note.value, {
          ...(serviceName ? { serviceName } : {}),
          ...(address ? { address } : {}),
          ...(port ? { port } : {}),
        });
      }
      stop(span.name);
    }
    await tomograph.shutdown();

    const expected = GOLDEN.flatMap(goldenNames);
    const lines = await daemon.waitForLines(expected.length);
    // Durations are real time here; names are the contract.
    expect(lines.map((line) => line.slice(0, line.lastIndexOf(':')))).toEqual(expected);
    expect(lines.every((line) => /:\d+\|(ms|c)$/.test(line))).toBe(true);
    expect(await daemon.badLines()).toBe(0);
  });

  const NAMES = [
    'test-client-openstack1-0.client-request.start',
    'test-client-openstack1-0.client-request.stop',
    'test-server-openstack1-80.server-response.start',
    'test-server-openstack1-80.server-response.stop',
  ];

  /**
   * The legacy benchmark through configure()'s statsd backend, default options but for the time bounds: on a loaded
   * machine the daemon may take longer than shutdown's 5 s (or the exporter's 2 s stall bound) to read 60,000 lines,
   * and what is cut off at a bound is dropped, counted and reported by design (tested in lifecycle.test.ts). Here
   * the question is whether anything is lost while the exporter is given the time.
   */
  async function runBenchmark(protocol: 'udp' | 'tcp'): Promise<void> {
    const port = protocol === 'udp' ? quietDaemon.udpPort : quietDaemon.tcpPort;
    const tomograph = configure({
      backends: ['statsd'],
      shutdownTimeoutMillis: 120_000,
      statsd: { host: quietDaemon.host, port, protocol, shutdownTimeoutMillis: 120_000 },
    });
    for (let i = 0; i < 10_000; i += 1) {
      start('test client', 'client request', 'openstack1', 0);
      start('test server', 'server response', 'openstack1', 80);
      stop('server response');
      stop('client request');
    }
    await tomograph.shutdown();
  }

  // TCP carries the count: nothing between the exporter and the daemon may drop a line, so every one of the
  // 60,000 must arrive, however busy the machine.
  it(
    'the legacy benchmark over TCP loses nothing: 10,000 on each start and stop counter, no bad line',
    { timeout: 180_000 },
    async () => {
      const host = watchHost();
      try {
        await runBenchmark('tcp');
        const counters = await quietDaemon.waitForCounters((c) => NAMES.every((n) => c[n] === 10_000), 60_000);
        expect(Object.fromEntries(NAMES.map((n) => [n, counters[n]]))).toEqual(
          Object.fromEntries(NAMES.map((n) => [n, 10_000])),
        );
        expect(counters['statsd.metrics_received']).toBe(60_000);
        expect(await quietDaemon.badLines()).toBe(0);
        expect(host.warnings).toEqual([]);
        expect(host.consoleCalls()).toBe(0);
      } finally {
        host.restore();
      }
    },
  );

  // Over UDP a daemon starved of CPU (the rest of the suite beside it on 2 cores) drops datagrams that reached its
  // socket, which no sender can see. The kernel counts them for that socket: that count is the control, read in
  // the same run. Every line the daemon lacks must be in a datagram its socket dropped; the exporter itself drops
  // nothing and reports nothing.
  it(
    "the legacy benchmark over UDP: every line reaches the daemon's socket, and any line missing is in a datagram the kernel counted as dropped there",
    { timeout: 180_000 },
    async () => {
      const host = watchHost();
      try {
        const dropsBefore = quietDaemon.udpSocket().drops;
        await runBenchmark('udp');
        // Done when all arrived, or when the daemon has read everything its socket holds and the count stands still.
        let last = -1;
        const counters = await quietDaemon.waitForCounters((c) => {
          const received = c['statsd.metrics_received'] ?? 0;
          const settled = received === last && quietDaemon.udpSocket().queuedBytes === 0;
          last = received;
          return received === 60_000 || settled;
        }, 60_000);
        const dropped = quietDaemon.udpSocket().drops - dropsBefore;
        const missing = 60_000 - (counters['statsd.metrics_received'] ?? 0);
        // A datagram holds at most maxDatagramBytes (1432) of lines; the shortest line here is a stop counter.
        const linesPerDatagram = Math.floor(1432 / `${NAMES[1]}:1|c\n`.length);
        expect(missing).toBeGreaterThanOrEqual(0);
        expect(
          missing,
          `${missing} lines missing, ${dropped} datagrams dropped by the daemon's socket`,
        ).toBeLessThanOrEqual(dropped * linesPerDatagram);
        for (const name of NAMES) expect(counters[name]).toBeLessThanOrEqual(10_000);
        expect(await quietDaemon.badLines()).toBe(0);
        // Nothing dropped or failed before the socket: the exporter reports every such line through diag.
        expect(host.warnings).toEqual([]);
        expect(host.consoleCalls()).toBe(0);
      } finally {
        host.restore();
      }
    },
  );
});
