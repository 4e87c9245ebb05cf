// The app of the HTTP benchmark, one process per setup so that each starts clean (global OTel registration, patched
// http): an Express 5 app with one route, untraced or traced one of the ways a user sets tracing up. It loads itself
// with bench/load-client.ts (another process), measures its own CPU time (process.cpuUsage()) over the load, shuts
// tracing down and prints one JSON line.
//   node --import tsx bench/http-app.ts <setup> <seconds> <statsd udp port> <collector port>
// Setups: untraced; http-only (instrumentation-http, spans made, no processor); http-statsd (instrumentation-http,
// StatsdSpanProcessor + StatsdSpanExporter, as the README's existing setup); http-statsd-zipkin (the same and the
// stock BatchSpanProcessor + ZipkinExporter: both backends without configure()); configure-statsd, configure-zipkin,
// configure-otlp (configure() and tomograph's middleware with statsd, statsd + Zipkin, statsd + OTLP/HTTP).
// tomograph is loaded as users run it, from its build (bench/built.ts).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const [setup, secondsText, statsdPortText, collectorPortText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const seconds = Number(secondsText);
const statsd = { host: '127.0.0.1', port: Number(statsdPortText), hostName: 'bench' };
const collector = `http://127.0.0.1:${collectorPortText}`;
const CONNECTIONS = 50;
const require = createRequire(import.meta.url);

let shutdown = async (): Promise<object> => ({});
let middlewareOf: (() => (req: unknown, res: unknown, next: () => void) => void) | undefined;

async function instrumentationHttp(withStatsd: boolean, withZipkin = false): Promise<void> {
  // Instrumentation first, then http and express are loaded (require) so that they are patched.
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { batchProcessor, newProvider } = await import('../test/support/sdk-line.js');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { trace, context } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { StatsdSpanExporter, StatsdSpanProcessor } = (await import('./built.js')).tomographStatsd;
  // The HTTP server spans are what this app has: count them (auto-instrumentation is left out by default).
  const exporter = withStatsd ? new StatsdSpanExporter({ ...statsd, excludeScopes: [] }) : undefined;
  const spanProcessors: unknown[] = exporter === undefined ? [] : [new StatsdSpanProcessor(exporter)];
  if (withZipkin) {
    // The stock pipeline, with the batching configure() gives its own (1000 spans, every second).
    const { ZipkinExporter } = await import('@opentelemetry/exporter-zipkin');
    const zipkin = new ZipkinExporter({ url: `${collector}/api/v2/spans` });
    spanProcessors.push(batchProcessor(zipkin as never, { maxExportBatchSize: 1000, scheduledDelayMillis: 1000 }));
  }
  const provider = newProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    spanProcessors: spanProcessors as never,
  });
  // As NodeSDK does: a context manager, then the provider.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
  require('node:http');
  shutdown = async () => {
    await provider.shutdown();
    return exporter?.getStats() ?? {};
  };
}

async function configured(backends: Array<'statsd' | 'zipkin' | 'otlp'>): Promise<void> {
  const { configure, middleware } = (await import('./built.js')).tomograph;
  const tomograph = configure({
    backends,
    statsd,
    zipkin: { url: `${collector}/api/v2/spans` },
    otlp: { url: `${collector}/v1/traces` },
  });
  middlewareOf = () => middleware({ serviceName: 'bench', name: 'request' }) as never;
  shutdown = async () => {
    await tomograph.shutdown();
    return {};
  };
}

switch (setup) {
  case 'untraced':
    break;
  case 'http-only':
    await instrumentationHttp(false);
    break;
  case 'http-statsd':
    await instrumentationHttp(true);
    break;
  case 'http-statsd-zipkin':
    await instrumentationHttp(true, true);
    break;
  case 'configure-statsd':
    await configured(['statsd']);
    break;
  case 'configure-zipkin':
    await configured(['statsd', 'zipkin']);
    break;
  case 'configure-otlp':
    await configured(['statsd', 'otlp']);
    break;
  default:
    throw new Error(`unknown setup ${setup}`);
}

const express = require('express') as typeof import('express');
const app = express();
if (middlewareOf !== undefined) app.use(middlewareOf() as never);
let served = 0;
app.get('/', (_req, res) => {
  served += 1;
  res.send('ok');
});
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

const client = fileURLToPath(new URL('./load-client.ts', import.meta.url));
let elu = performance.eventLoopUtilization();
let started = performance.now();
let cpuAtStart = process.cpuUsage();
const load = await new Promise<{ answered: number; errors: number }>((resolve, reject) => {
  const args = ['--import', 'tsx', client, String(port), String(seconds), String(CONNECTIONS)];
  // The load client runs on the CPU bench/http-load.ts keeps for it, away from this app's.
  const cpu = process.env.TOMOGRAPH_BENCH_CLIENT_CPU;
  const child =
    cpu === undefined
      ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
      : spawn('taskset', ['-c', cpu, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  // CPU is counted from the client's first request on, not over its start-up.
  let first = true;
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  server.once('request', () => {
    if (first) {
      first = false;
      cpuAtStart = process.cpuUsage();
      started = performance.now();
      elu = performance.eventLoopUtilization();
    }
  });
  child.once('exit', () => {
    try {
      resolve(JSON.parse(out) as { answered: number; errors: number });
    } catch (error) {
      reject(error);
    }
  });
});
const cpu = process.cpuUsage(cpuAtStart);
const loadSeconds = (performance.now() - started) / 1000;
const busy = performance.eventLoopUtilization(elu).utilization;
const drainStarted = performance.now();
const stats = await shutdown();
const drainSeconds = (performance.now() - drainStarted) / 1000;
server.close();
const cpuMicros = cpu.user + cpu.system;
process.stdout.write(
  `${JSON.stringify({ setup, node: process.versions.node, served, ...load, loadSeconds, drainSeconds, busy, cpuMicros, cpuMicrosPerRequest: cpuMicros / Math.max(1, served), stats })}\n`,
);
process.exit(0);
