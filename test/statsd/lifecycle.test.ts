// The exporter never breaks its host: a daemon that is down, TCP peers that refuse or never read, an unresolvable
// host, an oversized line, export after shutdown — all answered, counted and reported, never thrown or printed.
import { OWN_LINE } from '../support/otel.js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { freeTcpPort } from '../support/ports.js';
import { tomographWarnings } from '../support/process-warnings.js';
import { startStatsdDaemon } from '../support/statsd-daemon.js';
import { GOLDEN, recordNative } from './golden.js';
import { pipeline, watchHost, type HostWatch } from './pipelines.js';

let host: HostWatch;
beforeEach(() => {
  host = watchHost();
});
afterEach(() => {
  host.restore();
});

function exportOnce(
  exporter: StatsdSpanExporter,
  spans: Parameters<StatsdSpanExporter['export']>[0],
): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

const SPAN = {
  name: 'op',
  kind: 0,
  duration: [0, 1_000_000] as [number, number],
  attributes: { 'service.name': 's' },
  events: [],
};

describe('a daemon that is down', () => {
  it('over UDP: export answers, shutdown resolves, nothing is thrown or printed', async () => {
    const exporter = new StatsdSpanExporter({ port: await freeTcpPort() });
    const traced = pipeline(`${OWN_LINE} batch`, exporter);
    for (const golden of GOLDEN) recordNative(traced.tracer(golden.span.serviceName), golden);
    const started = Date.now();
    await traced.shutdown();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(exporter.getStats().spansSent).toBe(GOLDEN.length);
    expect(host.consoleCalls()).toBe(0);
  });

  it('over TCP with the connection refused: export answers FAILED, the lost lines and errors are counted and reported, shutdown ends within its bound', async () => {
    const exporter = new StatsdSpanExporter({ port: await freeTcpPort(), protocol: 'tcp', shutdownTimeoutMillis: 500 });
    const result = await exportOnce(exporter, [SPAN]);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/3 lines of 1 spans did not reach statsd/);
    expect(exporter.getStats().linesDropped).toBe(3);
    const started = Date.now();
    await exporter.shutdown();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(exporter.getStats().sendErrors).toBeGreaterThan(0);
    expect(host.warnings.some((w) => w.includes('sending to statsd') && w.includes('ECONNREFUSED'))).toBe(true);
    expect(host.consoleCalls()).toBe(0);
  });

  it('a daemon that goes away mid-run: later exports answer FAILED and their lines are counted lost over TCP, the host carries on', async () => {
    const daemon = await startStatsdDaemon();
    const exporter = new StatsdSpanExporter({
      host: daemon.host,
      port: daemon.tcpPort,
      protocol: 'tcp',
      shutdownTimeoutMillis: 500,
      hostName: 'h',
    });
    expect(await exportOnce(exporter, [SPAN])).toEqual({ code: ExportResultCode.SUCCESS });
    expect(await daemon.waitForLines(3)).toEqual(['s-h-0.op:1|ms', 's-h-0.op.start:1|c', 's-h-0.op.stop:1|c']);
    await daemon.stop();
    // Give the socket time to see the connection close.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push((await exportOnce(exporter, [SPAN])).code);
    await exporter.shutdown();
    expect(results).toEqual(Array(5).fill(ExportResultCode.FAILED));
    expect(exporter.getStats().linesDropped).toBe(15);
    expect(host.consoleCalls()).toBe(0);
  });
});

describe('shutdown is bounded', () => {
  let server: Server | undefined;
  const peers: Socket[] = [];
  afterEach(async () => {
    for (const peer of peers) peer.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('a TCP peer that accepts but never reads cannot hold shutdown past shutdownTimeoutMillis', async () => {
    server = createServer({ pauseOnConnect: true }, (socket) => peers.push(socket));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const exporter = new StatsdSpanExporter({ port, protocol: 'tcp', shutdownTimeoutMillis: 300 });
    // Enough lines (about 9 MB) to fill both kernel buffers, so that writes stop completing.
    const spans = Array.from({ length: 100_000 }, (_, i) => ({
      ...SPAN,
      name: `operation-with-a-long-name-${i % 100}`,
    }));
    const answered = new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await exporter.shutdown();
    // A peer that never reads would hold shutdown forever; the bound ended it (the timeouts count below says so).
    // The margin is for a loaded 2-core machine, where timers fire late: this is not a measure of speed.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await answered).code).toBe(ExportResultCode.FAILED);
    const stats = exporter.getStats();
    expect(stats.timeouts).toBeGreaterThan(0);
    expect(stats.spansDropped).toBeGreaterThan(0);
    expect(host.warnings.some((w) => w.includes('shutdownTimeoutMillis'))).toBe(true);
    expect(host.consoleCalls()).toBe(0);
  });

  it('export after shutdown answers FAILED, counts the spans and throws nothing', async () => {
    const exporter = new StatsdSpanExporter({ port: await freeTcpPort() });
    await exporter.shutdown();
    await exporter.shutdown();
    const result = await exportOnce(exporter, [SPAN, SPAN]);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/shut down/);
    expect(exporter.getStats().spansDropped).toBe(2);
  });
});

describe('flushing and exiting', () => {
  it('forceFlush resolves once every queued span is on the wire, without shutting down', async () => {
    const daemon = await startStatsdDaemon({ dumpMessages: false });
    try {
      // Over TCP: what is on the wire arrives, so the daemon's count checks forceFlush, not UDP's luck on a busy
      // machine (a starved daemon drops datagrams, which no sender can see).
      const exporter = new StatsdSpanExporter({
        host: daemon.host,
        port: daemon.tcpPort,
        protocol: 'tcp',
        hostName: 'h',
      });
      for (let i = 0; i < 30; i += 1)
        exporter.export(
          Array.from({ length: 100 }, () => SPAN),
          () => {},
        );
      await exporter.forceFlush();
      expect(exporter.getStats()).toMatchObject({ spansSent: 3000, metricsSent: 9000 });
      const counters = await daemon.waitForCounters((c) => c['s-h-0.op.stop'] === 3000);
      expect(counters['s-h-0.op.start']).toBe(3000);
      // Still open: a later export is sent too.
      expect((await exportOnce(exporter, [SPAN])).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
    } finally {
      await daemon.stop();
    }
  });

  for (const protocol of ['udp', 'tcp'] as const) {
    it(`an exporter never shut down lets the process exit (${protocol.toUpperCase()}, nothing listening)`, async () => {
      const script = fileURLToPath(new URL('./exits-alone.script.ts', import.meta.url));
      const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
      const port = await freeTcpPort();
      const started = Date.now();
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [tsx, script, String(port), protocol],
          { timeout: 15_000 },
          (error, stdout, stderr) =>
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
        );
      });
      // Nothing listens: over UDP nothing says so (0, SUCCESS); over TCP the refused connection does (1, FAILED).
      expect(result).toMatchObject({ code: 0, stdout: `exported ${protocol === 'udp' ? 0 : 1}\n` });
      // Nothing printed but, over TCP, the one process warning that statsd could not be reached.
      expect(tomographWarnings(result.stderr)).toEqual({
        codes: protocol === 'udp' ? [] : ['TOMOGRAPH_STATSD_SEND_ERROR'],
        rest: '',
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  }
});

describe('bad input is reported, not thrown', () => {
  it('an unresolvable host: export answers FAILED and the error is reported through diag', async () => {
    const exporter = new StatsdSpanExporter({ host: 'no-such-host.invalid', shutdownTimeoutMillis: 3000 });
    expect((await exportOnce(exporter, [SPAN])).code).toBe(ExportResultCode.FAILED);
    await exporter.shutdown();
    expect(exporter.getStats().sendErrors).toBeGreaterThan(0);
    expect(host.warnings.some((w) => /ENOTFOUND|EAI_AGAIN/.test(w))).toBe(true);
    expect(host.consoleCalls()).toBe(0);
  });

  it('a line longer than maxDatagramBytes is dropped and reported; the other lines go out', async () => {
    const daemon = await startStatsdDaemon();
    try {
      const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort });
      const huge = {
        ...SPAN,
        events: [{ name: 'x'.repeat(70_000) }],
        attributes: { 'service.name': 's', 'server.address': 'h' },
      };
      expect((await exportOnce(exporter, [huge])).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      expect(await daemon.waitForLines(3)).toEqual(['s-h-0.op:1|ms', 's-h-0.op.start:1|c', 's-h-0.op.stop:1|c']);
      expect(exporter.getStats().metricsOversized).toBe(1);
      expect(host.warnings.some((w) => w.includes('longer than maxDatagramBytes'))).toBe(true);
      expect(await daemon.badLines()).toBe(0);
    } finally {
      await daemon.stop();
    }
  });

  it('a result callback that throws is counted and goes no further', async () => {
    const exporter = new StatsdSpanExporter({ port: await freeTcpPort() });
    exporter.export([SPAN], () => {
      throw new Error('processor bug');
    });
    await exporter.forceFlush();
    await exporter.shutdown();
    expect(exporter.getStats()).toMatchObject({ spansSent: 1, sendErrors: 1 });
    expect(host.warnings.some((w) => w.includes('processor bug'))).toBe(true);
  });

  it('spans that are not spans are dropped and counted, and the export still answers', async () => {
    const exporter = new StatsdSpanExporter({ port: await freeTcpPort() });
    const odd = [null, { name: 'x', events: 'nope', attributes: null, duration: 'x' }] as never;
    expect((await exportOnce(exporter, odd)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect(exporter.getStats()).toMatchObject({ spansDropped: 1, spansSent: 1, durationsClamped: 1 });
  });
});
