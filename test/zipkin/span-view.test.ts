// The span view tomograph hands the stock exporter: whole-microsecond start, the span's own attributes first.
import { resourceFromAttributes } from '@opentelemetry/resources';
import { newProvider, simpleProcessor, newMemoryExporter } from '../support/sdk-line.js';
import { describe, expect, it } from 'vitest';
import { toWholeMicroseconds, toZipkinExportView } from '../../src/exporters/zipkin/span-view.js';

describe('toWholeMicroseconds', () => {
  it.each([
    [
      [1700000000, 123_456_789],
      [1700000000, 123_457_000],
    ],
    [
      [1700000000, 123_456_499],
      [1700000000, 123_456_000],
    ],
    [
      [1700000000, 123_000],
      [1700000000, 123_000],
    ],
    [
      [1700000000, 999_999_600],
      [1700000001, 0],
    ],
    [
      [0, 0],
      [0, 0],
    ],
  ] as const)('rounds %j to %j', (time, expected) => {
    expect(toWholeMicroseconds([time[0], time[1]])).toEqual(expected);
  });
});

describe('toZipkinExportView', () => {
  const exporter = newMemoryExporter();
  const provider = newProvider({
    resource: resourceFromAttributes({ 'service.name': 'process', 'host.name': 'box' }),
    spanProcessors: [simpleProcessor(exporter)],
  });
  const span = provider
    .getTracer('t')
    .startSpan('op', { startTime: [1700000000, 123_400], attributes: { 'service.name': 'test server', a: 1 } });
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

  it('shares one copy of the resource among the spans that shadow only its service.name', () => {
    const other = provider.getTracer('t').startSpan('other', { attributes: { 'service.name': 'test client' } });
    other.end();
    const [, otherFinished] = exporter.getFinishedSpans();
    if (otherFinished === undefined) throw new Error('no span');
    const otherView = toZipkinExportView(otherFinished);
    expect(otherView.resource).toBe(view.resource);
    expect(toZipkinExportView(finished).resource).toBe(view.resource);
    expect(otherView.resource.attributes).toEqual({ 'host.name': 'box' });
  });

  it('copies the resource afresh for a span that shadows other keys, hiding each of them', () => {
    const both = provider
      .getTracer('t')
      .startSpan('both', { attributes: { 'service.name': 's', 'host.name': 'elsewhere' } });
    both.end();
    const bothFinished = exporter.getFinishedSpans().find((s) => s.name === 'both');
    if (bothFinished === undefined) throw new Error('no span');
    const bothView = toZipkinExportView(bothFinished);
    expect(bothView.resource).not.toBe(view.resource);
    expect(bothView.resource.attributes).toEqual({});
    expect(view.resource.attributes).toEqual({ 'host.name': 'box' });
  });

  it('hands the resource itself to a span that shadows none of its keys', () => {
    const plain = provider.getTracer('t').startSpan('plain');
    plain.end();
    const plainFinished = exporter.getFinishedSpans().find((s) => s.name === 'plain');
    if (plainFinished === undefined) throw new Error('no span');
    expect(toZipkinExportView(plainFinished).resource).toBe(plainFinished.resource);
  });
});
