// Counts independent of trace sampling: statsd counts every span the app ends, while trace backends get only the
// sampled share; through configure() with the standard OTEL_TRACES_SAMPLER variables, and in an existing setup
// (StatsdSpanProcessor beside an always-record sampler).
import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { Resource as Resource1 } from 'resources-1';
import { BasicTracerProvider as BasicTracerProvider1 } from 'sdk-trace-base-1';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configure, start, stop } from 'tomograph';
import { alwaysRecordSampler, StatsdSpanExporter, StatsdSpanProcessor } from 'tomograph/statsd';
import { newMemoryExporter, newProvider, simpleProcessor, TraceIdRatioBasedSampler } from '../support/sdk-line.js';
import { useStatsdDaemon, type StatsdDaemon } from '../support/statsd-daemon.js';
import { startZipkinCollector, type ZipkinCollector } from '../support/zipkin-collector.js';

const theDaemon = useStatsdDaemon({ dumpMessages: false });
let daemon: StatsdDaemon;
beforeEach(() => {
  daemon = theDaemon();
});

const SPANS = 2000;

describe('in an existing setup', () => {
  it('StatsdSpanProcessor beside alwaysRecordSampler(traceidratio 0.1): statsd counts all 2,000 spans, the trace exporter gets about a tenth', async () => {
    const memory = newMemoryExporter();
    const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, hostName: 'h' });
    const provider = newProvider({
      resource: resourceFromAttributes({ 'service.name': 'app' }),
      sampler: alwaysRecordSampler(new TraceIdRatioBasedSampler(0.1)),
      spanProcessors: [new StatsdSpanProcessor(exporter), simpleProcessor(memory)],
    });
    const tracer = provider.getTracer('app');
    for (let i = 0; i < SPANS; i += 1) tracer.startSpan('op').end();
    await provider.forceFlush();
    // Read before shutdown: the in-memory exporter forgets its spans when shut down.
    const traced = memory.getFinishedSpans().length;
    await provider.shutdown();
    const counters = await daemon.waitForCounters((c) => c['app-h-0.op.stop'] === SPANS);
    expect(counters['app-h-0.op.start']).toBe(SPANS);
    expect(exporter.getStats()).toMatchObject({ spansSent: SPANS, spansDropped: 0, linesDropped: 0 });
    // 10% of 2,000 with a binomial spread: far from both 0 and 2,000.
    expect(traced).toBeGreaterThan(100);
    expect(traced).toBeLessThan(300);
  });

  it('StatsdSpanProcessor in an SDK 1.30 provider counts every span too', async () => {
    const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, hostName: 'h' });
    const provider = new BasicTracerProvider1({
      resource: new Resource1({ 'service.name': 'one' }),
      sampler: alwaysRecordSampler(new TraceIdRatioBasedSampler(0.1)) as never,
    });
    provider.addSpanProcessor(new StatsdSpanProcessor(exporter));
    for (let i = 0; i < 500; i += 1) provider.getTracer('app').startSpan('op').end();
    await provider.shutdown();
    expect((await daemon.waitForCounters((c) => c['one-h-0.op.stop'] === 500))['one-h-0.op.stop']).toBe(500);
  });

  it('without the always-record sampler a span exporter sees only sampled spans (why the processor is needed)', async () => {
    const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, hostName: 'h' });
    const provider = newProvider({
      resource: resourceFromAttributes({ 'service.name': 'app' }),
      sampler: new TraceIdRatioBasedSampler(0.1),
      spanProcessors: [new StatsdSpanProcessor(exporter)],
    });
    for (let i = 0; i < SPANS; i += 1) provider.getTracer('app').startSpan('op').end();
    await provider.shutdown();
    expect(exporter.getStats().spansSent).toBeLessThan(300);
  });
});

describe('through configure()', () => {
  let zipkin: ZipkinCollector;
  const saved = { ...process.env };
  beforeEach(async () => {
    zipkin = await startZipkinCollector();
  });
  afterEach(async () => {
    process.env = { ...saved };
    trace.disable();
    await zipkin.stop();
  });

  it('OTEL_TRACES_SAMPLER=traceidratio with ARG 0.1: statsd counts all 2,000 spans, Zipkin gets about a tenth', async () => {
    process.env.OTEL_TRACES_SAMPLER = 'traceidratio';
    process.env.OTEL_TRACES_SAMPLER_ARG = '0.1';
    const tomograph = configure({
      backends: ['statsd', 'zipkin'],
      statsd: { host: daemon.host, port: daemon.udpPort },
      zipkin: { url: zipkin.spansUrl },
      batch: { scheduledDelayMillis: 50 },
    });
    for (let i = 0; i < SPANS; i += 1) {
      start('svc', 'op', 'host', 1);
      stop('op');
    }
    await tomograph.shutdown();
    const counters = await daemon.waitForCounters((c) => c['svc-host-1.op.stop'] === SPANS);
    expect(counters['svc-host-1.op.start']).toBe(SPANS);
    expect(zipkin.spans.length).toBeGreaterThan(100);
    expect(zipkin.spans.length).toBeLessThan(300);
  });

  it('OTEL_TRACES_SAMPLER=always_off: statsd still counts every span, Zipkin gets none', async () => {
    process.env.OTEL_TRACES_SAMPLER = 'always_off';
    const tomograph = configure({
      backends: ['statsd', 'zipkin'],
      statsd: { host: daemon.host, port: daemon.udpPort },
      zipkin: { url: zipkin.spansUrl },
    });
    for (let i = 0; i < 100; i += 1) {
      start('svc', 'op', 'host', 1);
      stop('op');
    }
    await tomograph.shutdown();
    expect((await daemon.waitForCounters((c) => c['svc-host-1.op.stop'] === 100))['svc-host-1.op.stop']).toBe(100);
    expect(zipkin.spans).toEqual([]);
  });
});
