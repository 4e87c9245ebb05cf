// The exporter in NodeSDK (@opentelemetry/sdk-node) and in the example of an existing setup, against a real daemon;
// and a user's own hot-shots client, which the exporter sends through but never closes.
import { OWN_LINE } from '../support/otel.js';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { detectResources, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { batchProcessor, LINE, newProvider } from '../support/sdk-line.js';
import { SpanKind, trace } from '@opentelemetry/api';
import { StatsD } from 'hot-shots';
import { beforeEach, describe, expect, it } from 'vitest';
import { StatsdSpanExporter, StatsdSpanProcessor } from 'tomograph/statsd';
import { captureDiag } from '../support/diag.js';
import { freeTcpPort } from '../support/ports.js';
import { useStatsdDaemon, type StatsdDaemon } from '../support/statsd-daemon.js';
import { GOLDEN, recordNative } from './golden.js';
import { pipeline } from './pipelines.js';

const theDaemon = useStatsdDaemon();
let daemon: StatsdDaemon;
beforeEach(() => {
  daemon = theDaemon();
});

describe('in an existing OpenTelemetry setup', () => {
  it('NodeSDK with the exporter in a BatchSpanProcessor sends the legacy lines of an OTel-native span', async () => {
    const golden = GOLDEN[4]!;
    const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort });
    const sdk = new NodeSDK({
      resource: resourceFromAttributes({ 'service.name': golden.span.serviceName }),
      spanProcessors: [batchProcessor(exporter)],
      autoDetectResources: false,
    });
    sdk.start();
    recordNative(trace.getTracer('native'), golden);
    await sdk.shutdown();
    expect(await daemon.waitForLines(golden.lines.length)).toEqual(golden.lines);
    expect(exporter.getStats()).toMatchObject({ spansSent: 1, spansDropped: 0, sendErrors: 0 });
  });

  // The README's existing-setup snippet of the line this run is on.
  const example = LINE === '3.x' ? 'examples/existing-otel-setup-sdk3.ts' : 'examples/existing-otel-setup.ts';

  it(`${example} (TOMOGRAPH_STATSD_* variables, 10% sampling) runs to completion beside an unreachable Zipkin, counts its span and exits 0`, async () => {
    const zipkinPort = await freeTcpPort();

    const root = fileURLToPath(new URL('../..', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [tsx, example],
        {
          cwd: root,
          timeout: 20_000,
          env: {
            ...process.env,
            TOMOGRAPH_STATSD_HOST: daemon.host,
            TOMOGRAPH_STATSD_PORT: String(daemon.udpPort),
            OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${zipkinPort}/api/v2/spans`,
          },
        },
        (error, stdout) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout }),
      );
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('spansSent: 1');
    const lines = await daemon.waitForLines(4);
    // The span's duration is real time: only the timer's name is fixed.
    expect(lines[0]).toMatch(/^nova-api-api-example-com-8774\.GET-\/servers:\d+\|ms$/);
    expect(lines.slice(1)).toEqual([
      'nova-api-api-example-com-8774.GET-/servers.start:1|c',
      'nova-db-db-example-com-3306.GET-/servers.db:1|c',
      'nova-api-api-example-com-8774.GET-/servers.stop:1|c',
    ]);
  });

  it("a user's own hot-shots client carries the lines (its prefix applies) and stays open after shutdown", async () => {
    const errors: Error[] = [];
    const client = new StatsD({
      host: daemon.host,
      port: daemon.udpPort,
      prefix: 'mine.',
      errorHandler: (e) => errors.push(e),
      datadog: false,
    });
    const exporter = new StatsdSpanExporter({ client });
    const traced = pipeline(`${OWN_LINE} simple`, exporter);
    recordNative(traced.tracer(GOLDEN[0]!.span.serviceName), GOLDEN[0]!);
    await traced.shutdown();
    client.increment('still.open');
    expect(await daemon.waitForLines(4)).toEqual([...GOLDEN[0]!.lines.map((l) => `mine.${l}`), 'mine.still.open:1|c']);
    await new Promise<void>((resolve) => client.close(() => resolve()));
    expect(errors).toEqual([]);
  });
});

describe("under NodeSDK, a resource whose attributes settle later (the SDK's resource detectors)", () => {
  /** A detector of the app's own whose service name is known only after `millis` (or never). */
  const slowServiceName = (millis: number | undefined) => ({
    detect: () => ({
      attributes: {
        'service.name': new Promise<string>((resolve) => {
          if (millis !== undefined) setTimeout(() => resolve('nova api'), millis);
        }),
      },
    }),
  });
  const endSpanNow = (): void => {
    trace
      .getTracer('existing-app')
      .startSpan('GET /servers', {
        kind: SpanKind.SERVER,
        attributes: { 'server.address': 'api.example.com', 'server.port': 8774 },
      })
      .end();
  };

  it('a span ending before the resource settles is named with the settled service name, and the SDK logs no early read', async () => {
    const diagnostics = captureDiag();
    try {
      const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort });
      const sdk = new NodeSDK({
        resourceDetectors: [slowServiceName(150)],
        spanProcessors: [new StatsdSpanProcessor(exporter)],
      });
      // Another test's NodeSDK may still be the global provider: the API keeps the first one registered.
      trace.disable();
      sdk.start();
      endSpanNow();
      await sdk.shutdown();
      const lines = await daemon.waitForLines(3);
      expect(lines.map((line) => line.replace(/:\d+\|ms$/, ':N|ms'))).toEqual([
        'nova-api-api-example-com-8774.GET-/servers:N|ms',
        'nova-api-api-example-com-8774.GET-/servers.start:1|c',
        'nova-api-api-example-com-8774.GET-/servers.stop:1|c',
      ]);
      expect(exporter.getStats()).toMatchObject({ spansSent: 1, spansDropped: 0 });
      expect(diagnostics.warnings('before async attributes settled')).toEqual([]);
    } finally {
      diagnostics.restore();
    }
  });

  it('a resource that never settles holds its spans only resourceWaitMillis: then they are dropped, counted and reported', async () => {
    // A provider of the line's own (NodeSDK's default log pipeline would itself wait forever for such a resource).
    const diagnostics = captureDiag();
    try {
      const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, resourceWaitMillis: 100 });
      const provider = newProvider({
        resource: detectResources({ detectors: [slowServiceName(undefined)] }),
        spanProcessors: [new StatsdSpanProcessor(exporter)],
      });
      const tracer = provider.getTracer('existing-app');
      tracer.startSpan('a').end();
      tracer.startSpan('b').end();
      await provider.shutdown();
      expect(exporter.getStats()).toMatchObject({ spansSent: 0, spansDropped: 2 });
      expect(diagnostics.warnings('resourceWaitMillis').length).toBeGreaterThan(0);
      expect(daemon.lines()).toEqual([]);
      expect(diagnostics.warnings('before async attributes settled')).toEqual([]);
    } finally {
      diagnostics.restore();
    }
  });
});
