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
        annotate(note.value, { ...(serviceName ? { serviceName } : {}), ...(address ? { address } : {}), ...(port ? { port } : {}) });
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

  for (const protocol of ['udp', 'tcp'] as const) {
    // Over UDP a daemon starved of CPU (the rest of the suite runs beside it on 2 cores) can drop datagrams that
    // were sent, which no sender can see: such a run is tried again, on cleared counters, up to twice.
    it(`the legacy benchmark over ${protocol.toUpperCase()} loses nothing: 10,000 on each start and stop counter, no bad line`, { retry: protocol === 'udp' ? 2 : 0 }, async () => {
      await quietDaemon.clear();
      const host = watchHost();
      try {
        const port = protocol === 'udp' ? quietDaemon.udpPort : quietDaemon.tcpPort;
        const tomograph = configure({ backends: ['statsd'], statsd: { host: quietDaemon.host, port, protocol } });
        for (let i = 0; i < 10_000; i += 1) {
          start('test client', 'client request', 'openstack1', 0);
          start('test server', 'server response', 'openstack1', 80);
          stop('server response');
          stop('client request');
        }
        await tomograph.shutdown();

        const names = [
          'test-client-openstack1-0.client-request.start',
          'test-client-openstack1-0.client-request.stop',
          'test-server-openstack1-80.server-response.start',
          'test-server-openstack1-80.server-response.stop',
        ];
        const counters = await quietDaemon.waitForCounters((c) => names.every((n) => c[n] === 10_000), 10_000);
        expect(Object.fromEntries(names.map((n) => [n, counters[n]]))).toEqual(Object.fromEntries(names.map((n) => [n, 10_000])));
        expect(counters['statsd.metrics_received']).toBe(60_000);
        expect(await quietDaemon.badLines()).toBe(0);
        expect(host.warnings).toEqual([]);
        expect(host.consoleCalls()).toBe(0);
      } finally {
        host.restore();
      }
    });
  }
});
