// The Zipkin backend under SDK 1.x, whose spans carry `parentSpanId` and `instrumentationLibrary` where 2.x spans
// carry `parentSpanContext` and `instrumentationScope`: what arrives at the collector double.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { Resource } from 'resources-1';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from 'sdk-trace-base-1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZipkinBackend } from '../../src/exporters/zipkin/index.js';
import { toZipkinExportView } from '../../src/exporters/zipkin/span-view.js';
import { startZipkinCollector, type ZipkinCollector } from '../support/zipkin-collector.js';

let collector: ZipkinCollector;
beforeAll(async () => {
  collector = await startZipkinCollector();
});
afterAll(async () => {
  await collector.stop();
});

describe('Zipkin backend under SDK 1.x', () => {
  it("sends a child span with its parent's id, not as a root", async () => {
    const backend = createZipkinBackend({ url: collector.spansUrl });
    const provider = new BasicTracerProvider({ resource: new Resource({ 'service.name': 'process' }) });
    provider.addSpanProcessor(backend as never);
    const tracer = provider.getTracer('sdk1');
    const parent = tracer.startSpan('parent');
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent));
    child.end();
    parent.end();
    const before = collector.spans.length;
    await provider.shutdown();

    const sent = collector.spans.slice(before);
    expect(sent.map((s) => s.name).sort()).toEqual(['child', 'parent']);
    const sentParent = sent.find((s) => s.name === 'parent');
    const sentChild = sent.find((s) => s.name === 'child');
    expect(sentParent?.id).toBe(parent.spanContext().spanId);
    expect(sentParent?.parentId).toBeUndefined();
    expect(sentChild?.parentId).toBe(parent.spanContext().spanId);
    expect(sentChild?.traceId).toBe(parent.spanContext().traceId);
    expect(backend.droppedSpanCount).toBe(0);
  });

  it("gives the stock exporter the span's instrumentation library as its instrumentation scope", async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider();
    provider.addSpanProcessor(new SimpleSpanProcessor(memory));
    provider.getTracer('legacy-lib', '1.2.3').startSpan('op').end();
    const [finished] = memory.getFinishedSpans();
    if (finished === undefined) throw new Error('no span');
    const view = toZipkinExportView(finished as never);
    expect(view.instrumentationScope).toEqual({ name: 'legacy-lib', version: '1.2.3', schemaUrl: undefined });
    expect(view.parentSpanContext).toBeUndefined();
    await provider.shutdown();
  });
});
