// The transport in the conditions of a real service: a daemon that restarts, a TCP peer that stops reading while the
// app never calls shutdown(), configure().shutdown() after a failed last flush, and host names that do not resolve.
import { createSocket } from 'node:dgram';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { DnsCache } from '../../src/exporters/statsd/transport/dns-cache.js';
import { tomographWarnings } from '../support/process-warnings.js';
import { startStatsdDaemon } from '../support/statsd-daemon.js';
import { watchHost, type HostWatch } from './pipelines.js';

let host: HostWatch;
beforeEach(() => {
  host = watchHost();
});
afterEach(() => {
  host.restore();
});

const SPAN = {
  name: 'op',
  kind: 0,
  duration: [0, 1_000_000] as [number, number],
  attributes: { 'service.name': 's' },
  events: [],
};

function exportOnce(
  exporter: StatsdSpanExporter,
  spans: Parameters<StatsdSpanExporter['export']>[0],
): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

/** Runs a script under tsx in a child process; resolves with its exit code, output and wall time. */
function runScript(
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string; millis: number }> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, path, ...args], { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
        stdout,
        stderr,
        millis: Date.now() - started,
      }),
    );
  });
}

describe('TCP after a daemon restart', () => {
  it('reconnects with backoff: lines while the daemon is down are counted as dropped, lines after it is back all arrive', async () => {
    const daemon = await startStatsdDaemon({ dumpMessages: false });
    try {
      const exporter = new StatsdSpanExporter({
        host: daemon.host,
        port: daemon.tcpPort,
        protocol: 'tcp',
        hostName: 'h',
      });
      expect((await exportOnce(exporter, [SPAN])).code).toBe(ExportResultCode.SUCCESS);
      await daemon.waitForCounters((c) => c['s-h-0.op.stop'] === 1);

      await daemon.restart();
      // While the connection is found dead and remade, exports may fail: each one's lines are counted, never hidden.
      const results: number[] = [];
      for (let i = 0; i < 500; i += 1) {
        results.push((await exportOnce(exporter, [SPAN])).code);
        await new Promise((r) => setTimeout(r, 2));
      }
      const failed = results.filter((code) => code === ExportResultCode.FAILED).length;
      expect(exporter.getStats().linesDropped).toBe(failed * 3);
      // Once reconnected, every line goes through.
      await until(() => results.at(-1) === ExportResultCode.SUCCESS);
      for (let i = 0; i < 500; i += 1) expect((await exportOnce(exporter, [SPAN])).code).toBe(ExportResultCode.SUCCESS);
      const counters = await daemon.waitForCounters((c) => (c['s-h-0.op.stop'] ?? 0) >= 500 + results.length - failed);
      expect(counters['s-h-0.op.stop']).toBe(500 + results.length - failed);
      expect(failed).toBeLessThan(results.length);
      await exporter.shutdown();
      expect(await daemon.badLines()).toBe(0);
      expect(host.consoleCalls()).toBe(0);
    } finally {
      await daemon.stop();
    }
  });
});

describe('nothing keeps the process alive', () => {
  let server: Server | undefined;
  const peers: Socket[] = [];
  afterEach(async () => {
    for (const peer of peers) peer.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function peerThatNeverReads(): Promise<number> {
    server = createServer({ pauseOnConnect: true }, (socket) => peers.push(socket));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  it('a TCP peer that stops reading, and an app that never calls shutdown(): the process exits, the export answers FAILED', async () => {
    const port = await peerThatNeverReads();
    const result = await runScript('./stalled-peer.script.ts', [String(port), 'exporter']);
    expect(result).toMatchObject({ code: 0 });
    expect(tomographWarnings(result.stderr)).toEqual({ codes: ['TOMOGRAPH_STATSD_SEND_ERROR'], rest: '' });
    expect(result.stdout).toMatch(/^exported 1\nlinesDropped [1-9]\d*\n$/);
    expect(result.millis).toBeLessThan(15_000);
  });

  it('configure().shutdown() against a TCP peer that stops reading still closes the exporter: the process exits', async () => {
    const port = await peerThatNeverReads();
    const result = await runScript('./stalled-peer.script.ts', [String(port), 'configure']);
    expect(result).toMatchObject({ code: 0, stdout: 'shut down\n' });
    // shutdown() may end before the stall is noticed: at most the one warning that statsd took nothing.
    const { codes, rest } = tomographWarnings(result.stderr);
    expect(rest).toBe('');
    expect(['TOMOGRAPH_STATSD_SEND_ERROR']).toEqual(expect.arrayContaining(codes));
    expect(result.millis).toBeLessThan(15_000);
  });
});

describe('host names', () => {
  it('an unresolvable host is looked up once per failure TTL, not once per datagram', async () => {
    let queries = 0;
    const cache = new DnsCache({
      failureTtlMillis: 60_000,
      resolve: (_name, callback) => {
        queries += 1;
        setTimeout(() => callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), []), 5);
      },
    });
    const answers = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<string>((resolve) =>
            cache.lookup('no-such-host.invalid', {}, (error) => resolve(String(error?.code))),
          ),
      ),
    );
    expect(answers).toEqual(Array(50).fill('ENOTFOUND'));
    await new Promise<void>((resolve) => cache.lookup('no-such-host.invalid', {}, () => resolve()));
    expect(queries).toBe(1);
  });

  it('answers expire after their TTL, and the cache keeps at most maxNames names', async () => {
    let now = 0;
    let queries = 0;
    const cache = new DnsCache({
      ttlMillis: 1000,
      maxNames: 2,
      now: () => now,
      resolve: (_name, callback) => {
        queries += 1;
        callback(null, [{ address: '127.0.0.1', family: 4 }]);
      },
    });
    const ask = (name: string): Promise<string> =>
      new Promise((resolve) => cache.lookup(name, {}, (_e, address) => resolve(String(address))));
    expect(await ask('a')).toBe('127.0.0.1');
    expect(await ask('a')).toBe('127.0.0.1');
    expect(queries).toBe(1);
    now = 1001;
    await ask('a');
    expect(queries).toBe(2);
    await ask('b');
    await ask('c');
    expect(cache.size).toBe(2);
  });

  it('answers a socket with the address family it asks for: a udp4 socket reaches a name that resolves to ::1 first', async () => {
    const cache = new DnsCache({
      resolve: (_name, callback) =>
        callback(null, [
          { address: '::1', family: 6 },
          { address: '127.0.0.1', family: 4 },
        ]),
    });
    const ask = (options: Parameters<DnsCache['lookup']>[1]): Promise<string> =>
      new Promise((resolve) =>
        cache.lookup('statsd.dual', options, (error, address) => resolve(error ? String(error.code) : String(address))),
      );
    expect([await ask(4), await ask({ family: 6 }), await ask(undefined)]).toEqual(['127.0.0.1', '::1', '::1']);
    // A real udp4 socket sending through the cache to a real listener on 127.0.0.1: no EINVAL, the datagram arrives.
    const receiver = createSocket('udp4');
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    const arrived = new Promise<string>((resolve) =>
      receiver.once('message', (message) => resolve(message.toString())),
    );
    const sender = createSocket({ type: 'udp4', lookup: cache.lookup as never });
    const sent = await new Promise<Error | null>((resolve) =>
      sender.send('x:1|c', receiver.address().port, 'statsd.dual', resolve),
    );
    expect(sent).toBeNull();
    expect(await arrived).toBe('x:1|c');
    sender.close();
    receiver.close();
  });

  it('through the exporter: many exports to an unresolvable host all answer FAILED, with one lookup', async () => {
    const exporter = new StatsdSpanExporter({ host: 'no-such-host.invalid' });
    const results = await Promise.all(Array.from({ length: 20 }, () => exportOnce(exporter, [SPAN])));
    expect(results.map((r) => r.code)).toEqual(Array(20).fill(ExportResultCode.FAILED));
    expect(exporter.getStats().linesDropped).toBe(60);
    await exporter.shutdown();
    expect(host.consoleCalls()).toBe(0);
  });
});
