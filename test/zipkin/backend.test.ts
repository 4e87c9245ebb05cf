// The Zipkin backend against the collector double: what arrives, and what happens when the collector misbehaves.
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { COMPLEX_AS_JSON, setComplexAttributes, withComplexValues } from '../support/complex-attributes.js';
import { LINE, newProvider, simpleProcessor } from '../support/sdk-line.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isTomographError } from 'tomograph';
import {
  createZipkinBackend,
  type ZipkinBackend,
  type ZipkinProcessorOptions,
} from '../../src/exporters/zipkin/index.js';
import { openCaptures } from '../../src/exporters/zipkin/request-capture.js';
import { startZipkinCollector, type ZipkinCollector } from '../support/zipkin-collector.js';

let collector: ZipkinCollector;
const warnings: string[] = [];
const recorder: DiagLogger = {
  error: (m) => warnings.push(m),
  warn: (m) => warnings.push(m),
  info: () => undefined,
  debug: () => undefined,
  verbose: () => undefined,
};

beforeAll(async () => {
  collector = await startZipkinCollector();
  diag.setLogger(recorder, DiagLogLevel.WARN);
});
afterAll(async () => {
  diag.disable();
  await collector.stop();
});
beforeEach(() => {
  warnings.length = 0;
});
afterEach(() => collector.setMode('accept'));

function tracerWith(backend: ZipkinBackend) {
  const provider = newProvider({
    resource: resourceFromAttributes({ 'service.name': 'process' }),
    spanProcessors: [backend],
  });
  return provider.getTracer('test');
}

describe('Zipkin backend: what arrives', () => {
  it('sends complex attribute values (maps, mixed arrays, bytes) as JSON tags, never [object Object]', async () => {
    const backend = createZipkinBackend({ url: collector.spansUrl });
    const processor = withComplexValues(backend);
    const provider = newProvider({
      resource: resourceFromAttributes({ 'service.name': 'process' }),
      spanProcessors: [processor],
    });
    const span = provider.getTracer('test').startSpan('complex');
    setComplexAttributes(span);
    span.end();
    const before = collector.spans.length;
    await backend.forceFlush();
    // The 3.x SDK keeps such values on the span; the 2.x SDK drops them when they are set.
    expect(processor.sdkKept).toEqual([LINE === '3.x']);
    const tags = collector.spans[before]?.tags ?? {};
    expect({ map: tags['app.map'], mixed: tags['app.mixed'], bytes: tags['app.bytes'] }).toEqual({
      map: COMPLEX_AS_JSON['app.map'],
      mixed: COMPLEX_AS_JSON['app.mixed'],
      bytes: COMPLEX_AS_JSON['app.bytes'],
    });
    expect(JSON.stringify(tags)).not.toContain('[object Object]');
  });

  it('sends a start time with a sub-microsecond fraction as a whole microsecond, which Zipkin accepts', async () => {
    const backend = createZipkinBackend({ url: collector.spansUrl });
    const span = tracerWith(backend).startSpan('fractional', {
      startTime: [1700000000, 123_400],
      attributes: { 'service.name': 'test server' },
    });
    span.addEvent('noted', [1700000000, 1_500_000]);
    span.end([1700000000, 2_300_000]);
    const before = collector.spans.length;
    await backend.forceFlush();
    expect(collector.posts.at(-1)).toEqual({ status: 202, message: '', spanCount: 1 });
    const sent = collector.spans[before];
    expect(sent?.timestamp).toBe(1700000000000123);
    expect(sent?.annotations).toEqual([{ timestamp: 1700000000001500, value: 'noted' }]);
    expect(sent?.localEndpoint).toEqual({ serviceName: 'test server' });
    // The span's own service name is the tag too, not the process's resource one.
    expect(sent?.tags?.['service.name']).toBe('test server');
    expect(backend.droppedSpanCount).toBe(0);
  });

  it('is needed: the stock exporter alone sends that start time unrounded and the collector refuses the batch', async () => {
    const provider = newProvider({
      spanProcessors: [simpleProcessor(new ZipkinExporter({ url: collector.spansUrl }))],
    });
    provider
      .getTracer('test')
      .startSpan('fractional', { startTime: [1700000000, 123_400] })
      .end([1700000000, 2_000_000]);
    // The stock processor rejects its flush here; what matters is what the collector answered.
    await provider.forceFlush().catch(() => undefined);
    await provider.shutdown();
    expect(collector.posts.at(-1)?.status).toBe(400);
    expect(collector.posts.at(-1)?.message).toContain('timestamp');
  });
});

describe('Zipkin backend: a collector that fails', () => {
  it.each([
    ['refuses connections', 'refuse'],
    ['answers 500', 'fail'],
  ] as const)(
    'when the collector %s, flush resolves, the spans are counted as dropped and reported through diag',
    async (_name, mode) => {
      await collector.setMode(mode);
      const backend = createZipkinBackend({ url: collector.spansUrl, timeoutMillis: 2000 });
      const tracer = tracerWith(backend);
      for (const name of ['a', 'b', 'c']) tracer.startSpan(name).end();
      const started = performance.now();
      await backend.forceFlush();
      await backend.shutdown();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(backend.droppedSpanCount).toBe(3);
      expect(backend.getStats()).toEqual({ droppedSpans: 3 });
      expect(warnings.some((w) => /3 span\(s\) not sent to Zipkin .*; 3 dropped in all/.test(w))).toBe(true);
    },
  );

  it('when the collector never answers, shutdown resolves at timeoutMillis and the request is abandoned', async () => {
    await collector.setMode('hang');
    const backend = createZipkinBackend({ url: collector.spansUrl, timeoutMillis: 400 });
    tracerWith(backend).startSpan('stuck').end();
    const started = performance.now();
    await backend.shutdown();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(1000);
    expect(collector.posts.at(-1)?.status).toBe(0);
    expect(backend.droppedSpanCount).toBe(1);
    expect(
      warnings.some((w) =>
        /1 span\(s\) not sent to Zipkin \(Zipkin (export|shutdown) abandoned after 400 ms\)/.test(w),
      ),
    ).toBe(true);
  });
});

describe('Zipkin backend: the capture of its own requests', () => {
  it('is open only while an export is: off after an accepted one, on again for the next, which a hang abandons', async () => {
    const backend = createZipkinBackend({ url: collector.spansUrl, timeoutMillis: 400 });
    const tracer = tracerWith(backend);
    tracer.startSpan('accepted').end();
    await backend.forceFlush();
    expect(backend.droppedSpanCount).toBe(0);
    expect(openCaptures()).toBe(0);
    await collector.setMode('hang');
    tracer.startSpan('stuck').end();
    const flushed = backend.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(openCaptures()).toBe(1);
    await flushed;
    await backend.shutdown();
    expect(collector.posts.at(-1)?.status).toBe(0);
    expect(backend.droppedSpanCount).toBe(1);
    expect(openCaptures()).toBe(0);
  });
});

describe('Zipkin backend: options', () => {
  it.each([
    [{ url: 'ftp://example.com' }, 'url must be an http or https URL'],
    [{ url: 'not a url' }, 'url must be an http or https URL'],
    [{ timeoutMillis: 0 }, 'timeoutMillis must be an integer from 1'],
    [{ timeoutMillis: 1.5 }, 'timeoutMillis must be an integer from 1'],
    [{ timeoutMillis: 2 ** 31 }, 'timeoutMillis must be an integer from 1 to 2147483647, got 2147483648'],
    [{ scheduledDelayMillis: 2 ** 31 }, 'scheduledDelayMillis must be an integer from 1 to 2147483647, got 2147483648'],
    [{ maxQueueSize: 10, maxExportBatchSize: 20 }, 'maxExportBatchSize (20) must not exceed maxQueueSize (10)'],
    [{ headers: { a: 1 } }, 'headers.a must be a string'],
    [{ serviceName: '' }, 'serviceName must be a non-empty string'],
  ])('refuses %j at configuration time', (options, message) => {
    let thrown: unknown;
    try {
      createZipkinBackend(options as unknown as ZipkinProcessorOptions);
    } catch (error) {
      thrown = error;
    }
    expect(isTomographError(thrown) && thrown.code).toBe('INVALID_OPTION');
    expect((thrown as Error).message).toContain(message);
  });
});
