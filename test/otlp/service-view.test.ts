// The per-service view the stock OTLP exporter is given: pure, on spans of the real SDK 2.x and 1.x.
import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  newMemoryExporter,
  newProvider,
  simpleProcessor,
  type LineProvider,
  type ReadableSpan,
} from '../support/sdk-line.js';
import { Resource as Resource1 } from 'resources-1';
import {
  BasicTracerProvider as BasicTracerProvider1,
  InMemorySpanExporter as InMemorySpanExporter1,
  SimpleSpanProcessor as SimpleSpanProcessor1,
} from 'sdk-trace-base-1';
import { describe, expect, it } from 'vitest';
import { MAX_SERVICES_PER_RESOURCE, toOtlpExportView } from '../../src/exporters/otlp/service-view.js';

/** Finished spans of a real SDK 2.x provider whose resource has `resourceAttributes`. */
function spans2(
  resourceAttributes: Record<string, string>,
  make: (tracer: ReturnType<LineProvider['getTracer']>) => void,
): ReadableSpan[] {
  const memory = newMemoryExporter();
  const provider = newProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [simpleProcessor(memory)],
  });
  make(provider.getTracer('scope', '1.2.3'));
  return memory.getFinishedSpans();
}

describe('toOtlpExportView', () => {
  it("puts a span under a resource naming its own service, keeping the resource's other attributes", () => {
    const [span] = spans2({ 'service.name': 'process', 'host.name': 'box' }, (t) =>
      t.startSpan('op', { attributes: { 'service.name': 'billing' } }).end(),
    );
    const view = toOtlpExportView(span!);
    expect(view.resource.attributes).toEqual({ 'service.name': 'billing', 'host.name': 'box' });
    expect(span!.resource.attributes['service.name']).toBe('process');
    expect(view.spanContext()).toEqual(span!.spanContext());
    expect([view.name, view.attributes, view.startTime, view.instrumentationScope]).toEqual([
      span!.name,
      span!.attributes,
      span!.startTime,
      span!.instrumentationScope,
    ]);
  });

  it('gives the spans of one service the same resource object, so the exporter groups them', () => {
    const spans = spans2({ 'service.name': 'process' }, (t) => {
      for (const service of ['a', 'b', 'a', 'b'])
        t.startSpan(service, { attributes: { 'service.name': service } }).end();
    });
    const [a1, b1, a2, b2] = spans.map((s) => toOtlpExportView(s).resource);
    expect(a1).toBe(a2);
    expect(b1).toBe(b2);
    expect(a1).not.toBe(b1);
  });

  it("passes a span of the resource's own service through as it is", () => {
    const [native, same] = spans2({ 'service.name': 'process' }, (t) => {
      t.startSpan('native').end();
      t.startSpan('same', { attributes: { 'service.name': 'process' } }).end();
    });
    expect(toOtlpExportView(native!)).toBe(native);
    expect(toOtlpExportView(same!)).toBe(same);
  });

  it('names the fallback service when neither the span nor its resource names one', () => {
    const [span] = spans2({}, (t) => t.startSpan('op').end());
    expect(toOtlpExportView(span!, 'fallback').resource.attributes['service.name']).toBe('fallback');
  });

  it(`still names each service past ${MAX_SERVICES_PER_RESOURCE} services on one resource, with a resource per span`, () => {
    const spans = spans2({ 'service.name': 'process' }, (t) => {
      for (let i = 0; i <= MAX_SERVICES_PER_RESOURCE; i++)
        t.startSpan('op', { attributes: { 'service.name': `s${i}` } }).end();
    });
    for (const span of spans.slice(0, -1)) toOtlpExportView(span);
    const last = spans.at(-1)!;
    const first = toOtlpExportView(last).resource;
    expect(first.attributes['service.name']).toBe(`s${MAX_SERVICES_PER_RESOURCE}`);
    expect(toOtlpExportView(last).resource).not.toBe(first);
  });

  it('shows an SDK 1.x span with its parent and scope where the 2.x exporter reads them', () => {
    const memory = new InMemorySpanExporter1();
    const provider = new BasicTracerProvider1({ resource: new Resource1({ 'service.name': 'process' }) });
    provider.addSpanProcessor(new SimpleSpanProcessor1(memory));
    const tracer = provider.getTracer('old', '0.1');
    const parent = tracer.startSpan('parent');
    tracer
      .startSpan('child', { attributes: { 'service.name': 'svc' } }, trace.setSpan(context.active(), parent as never))
      .end();
    parent.end();
    const child = memory.getFinishedSpans().find((s) => s.name === 'child')! as unknown as ReadableSpan;
    const view = toOtlpExportView(child);
    expect(view.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(view.instrumentationScope).toEqual({ name: 'old', version: '0.1' });
    expect(view.resource.attributes['service.name']).toBe('svc');
  });
});
