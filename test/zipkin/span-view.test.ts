// The span view tomograph hands the stock exporter: whole-microsecond start, the span's own attributes first.
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { toWholeMicroseconds, toZipkinExportView } from '../../src/exporters/zipkin/span-view.js';

describe('toWholeMicroseconds', () => {
  it.each([
    [[1700000000, 123_456_789], [1700000000, 123_457_000]],
    [[1700000000, 123_456_499], [1700000000, 123_456_000]],
    [[1700000000, 123_000], [1700000000, 123_000]],
    [[1700000000, 999_999_600], [1700000001, 0]],
    [[0, 0], [0, 0]],
  ] as const)('rounds %j to %j', (time, expected) => {
    expect(toWholeMicroseconds([time[0], time[1]])).toEqual(expected);
  });
});

describe('toZipkinExportView', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'process', 'host.name': 'box' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const span = provider.getTracer('t').startSpan('op', { startTime: [1700000000, 123_400], attributes: { 'service.name': 'test server', a: 1 } });
  span.end([1700000000, 2_000_000]);
  const [finished] = exporter.getFinishedSpans();
  if (finished === undefined) throw new Error('no span');
  const view = toZipkinExportView(finished);

  it('starts on a whole microsecond and keeps everything else', () => {
    expect(view.startTime).toEqual([1700000000, 123_000]);
    // The SDK keeps the fraction of a microsecond.
    expect(finished.startTime).toEqual([1700000000, 123_400]);
    expect(view.spanContext()).toEqual(finished.spanContext());
    expect(view.attributes).toBe(finished.attributes);
    expect(view.duration).toEqual(finished.duration);
    expect(view.name).toBe('op');
  });

  it("hides the resource's copy of a key the span sets itself, and only that key", () => {
    expect(view.resource.attributes).toEqual({ 'host.name': 'box' });
    expect(finished.resource.attributes['service.name']).toBe('process');
  });
});
