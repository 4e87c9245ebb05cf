// The app of the HTTP benchmark, one process per setup so that each starts clean (global OTel registration, patched
// http): an Express 5 app with one route, untraced, or traced in an existing OTel setup (instrumentation-http, the
// SDK's default BatchSpanProcessor, StatsdSpanExporter), or through configure() and tomograph's middleware. It
// loads itself with bench/load-client.ts, shuts tracing down, and prints one JSON line.
//   node --import tsx bench/http-app.ts <untraced|existing|configure> <seconds> <statsd udp port>
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const [setup, secondsText, statsdPortText] = process.argv.slice(2) as [string, string, string];
const seconds = Number(secondsText);
const statsd = { host: '127.0.0.1', port: Number(statsdPortText) };
const CONNECTIONS = 50;
const require = createRequire(import.meta.url);

let shutdown = async (): Promise<object> => ({});
let middlewareOf: (() => (req: unknown, res: unknown, next: () => void) => void) | undefined;

if (setup === 'existing') {
  // Instrumentation first, then http and express are loaded (require) so that they are patched.
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  const { batchProcessor, newProvider } = await import('../test/support/sdk-line.js');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { trace } = await import('@opentelemetry/api');
  const { StatsdSpanExporter } = await import('../src/statsd.js');
  // The HTTP server spans are what this app has: count them (auto-instrumentation is left out by default).
  const exporter = new StatsdSpanExporter({ ...statsd, excludeScopes: [], hostName: 'bench' });
  const provider = newProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    spanProcessors: [batchProcessor(exporter)],
  });
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
  require('node:http');
  shutdown = async () => {
    await provider.shutdown();
    return exporter.getStats();
  };
} else if (setup === 'configure') {
  const { configure, middleware } = await import('../src/index.js');
  const tomograph = configure({ backends: ['statsd'], statsd: { ...statsd, hostName: 'bench' } });
  middlewareOf = () => middleware({ serviceName: 'bench', name: 'request' }) as never;
  shutdown = async () => {
    await tomograph.shutdown();
    return {};
  };
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
const elu = performance.eventLoopUtilization();
const started = performance.now();
const load = await new Promise<{ answered: number; errors: number }>((resolve, reject) => {
  const child = spawn(process.execPath, ['--import', 'tsx', client, String(port), String(seconds), String(CONNECTIONS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.once('exit', () => {
    try {
      resolve(JSON.parse(out) as { answered: number; errors: number });
    } catch (error) {
      reject(error);
    }
  });
});
const loadSeconds = (performance.now() - started) / 1000;
const busy = performance.eventLoopUtilization(elu).utilization;
const drainStarted = performance.now();
const stats = await shutdown();
const drainSeconds = (performance.now() - drainStarted) / 1000;
server.close();
process.stdout.write(`${JSON.stringify({ setup, node: process.versions.node, served, ...load, loadSeconds, drainSeconds, busy, stats })}\n`);
process.exit(0);
