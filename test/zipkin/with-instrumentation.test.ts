// The Zipkin backend in a process where @opentelemetry/instrumentation-http has patched http: its exports are
// not traced themselves, and a hanging export is still abandoned in time.
import { createRequire } from 'node:module';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { newProvider, simpleProcessor, newMemoryExporter } from '../support/sdk-line.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZipkinBackend } from '../../src/exporters/zipkin/index.js';
import { startZipkinCollector, type ZipkinCollector } from '../support/zipkin-collector.js';

let collector: ZipkinCollector;
let unregister: () => void;
const memory = newMemoryExporter();

beforeAll(async () => {
  collector = await startZipkinCollector();
  // The collector double lives in this process; a real one does not, so its side of each POST is not traced.
  const collectorSide = (req: { url?: string }) => req.url?.startsWith('/api/v2/') === true;
  unregister = registerInstrumentations({
    instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: collectorSide })],
  });
  createRequire(import.meta.url)('node:http');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(async () => {
  unregister();
  context.disable();
  trace.disable();
  await collector.stop();
});

describe('Zipkin backend with instrumentation-http registered', () => {
  it('sends without tracing its own requests, and abandons a hanging one at timeoutMillis', async () => {
    const backend = createZipkinBackend({ url: collector.spansUrl, timeoutMillis: 300 });
    const provider = newProvider({ spanProcessors: [backend, simpleProcessor(memory)] });
    trace.setGlobalTracerProvider(provider);
    const tracer = provider.getTracer('test');

    tracer.startSpan('sent').end();
    await backend.forceFlush();
    expect(collector.spans.map((s) => s.name)).toEqual(['sent']);

    await collector.setMode('hang');
    tracer.startSpan('stuck').end();
    const started = performance.now();
    await backend.forceFlush();
    expect(performance.now() - started).toBeLessThan(800);
    expect(backend.droppedSpanCount).toBe(1);
    await collector.setMode('accept');

    // Only the test's spans: no CLIENT span for any POST to the collector.
    expect(memory.getFinishedSpans().map((s) => s.name)).toEqual(['sent', 'stuck']);
    await provider.shutdown();
  });
});
