// Facade spans are real OpenTelemetry spans: OTel-native code sees them as parents, they see native spans as
// parents, in one trace, under SDK 1.x and 2.x alike.
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotate, getTraceInfo, start, stop, tag } from 'tomograph';
import { parentIdOf, SDK_LINES, setupOtel, type OtelHarness } from '../support/otel.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe.each(SDK_LINES)('with the OTel SDK %s', (line) => {
  let otel: OtelHarness;
  beforeEach(() => {
    otel = setupOtel(line);
  });
  afterEach(() => otel.teardown());

  it('makes a started span the parent of native startSpan and startActiveSpan after an await', async () => {
    start('svc', 'outer');
    await tick();
    const inner = otel.tracer.startSpan('inner');
    inner.end();
    await otel.tracer.startActiveSpan('active inner', async (span) => {
      await tick();
      span.end();
    });
    stop('outer');

    const outer = otel.span('outer');
    expect(parentIdOf(otel.span('inner'))).toBe(outer.spanContext().spanId);
    expect(parentIdOf(otel.span('active inner'))).toBe(outer.spanContext().spanId);
    expect(otel.span('inner').spanContext().traceId).toBe(outer.spanContext().traceId);
  });

  it('makes the span that was active before start active again after stop', async () => {
    await otel.tracer.startActiveSpan('native', async (native) => {
      start('svc', 'facade');
      await tick();
      expect(trace.getActiveSpan()?.spanContext().spanId).not.toBe(native.spanContext().spanId);
      stop('facade');
      expect(trace.getActiveSpan()).toBe(native);
      native.end();
    });
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(parentIdOf(otel.span('facade'))).toBe(otel.span('native').spanContext().spanId);
  });

  it('nests native → facade → native → facade in one trace with every parent right', async () => {
    await otel.tracer.startActiveSpan('native 1', async (n1) => {
      start('svc', 'facade 1');
      await tick();
      await otel.tracer.startActiveSpan('native 2', async (n2) => {
        await tick();
        start('svc', 'facade 2');
        await tick();
        stop('facade 2');
        n2.end();
      });
      stop('facade 1');
      n1.end();
    });
    const id = (name: string) => otel.span(name).spanContext().spanId;
    expect(parentIdOf(otel.span('native 1'))).toBeUndefined();
    expect(parentIdOf(otel.span('facade 1'))).toBe(id('native 1'));
    expect(parentIdOf(otel.span('native 2'))).toBe(id('facade 1'));
    expect(parentIdOf(otel.span('facade 2'))).toBe(id('native 2'));
    expect(new Set(otel.spans().map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it('records the service, the endpoint, notes and tags the legacy way', () => {
    start('test server', 'server response', '10.0.0.2', 80);
    annotate('this is an annotation');
    annotate('db', { serviceName: 'nova db', address: 'db.example.com', port: 3306, duration: 12.5 });
    tag('str', 'value');
    tag('int', 42);
    tag('double', 4.2);
    tag('ok', true);
    stop('server response');

    const span = otel.span('server response');
    expect(span.attributes).toEqual({
      'service.name': 'test server',
      'tomograph.endpoint.address': '10.0.0.2',
      'tomograph.endpoint.port': 80,
      str: 'value',
      int: 42,
      double: 4.2,
      ok: true,
    });
    expect(span.events.map((e) => [e.name, { ...e.attributes }])).toEqual([
      ['this is an annotation', {}],
      [
        'db',
        {
          'service.name': 'nova db',
          'tomograph.endpoint.address': 'db.example.com',
          'tomograph.endpoint.port': 3306,
          'tomograph.note.duration_ms': 12.5,
        },
      ],
    ]);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('defaults the endpoint to the host name and port 0', async () => {
    const { hostname } = await import('node:os');
    start('svc', 'plain');
    stop('plain');
    expect(otel.span('plain').attributes['tomograph.endpoint.address']).toBe(hostname());
    expect(otel.span('plain').attributes['tomograph.endpoint.port']).toBe(0);
  });

  it('annotates and tags a span that OTel-native code made active', () => {
    otel.tracer.startActiveSpan('native', (span) => {
      annotate('from the facade');
      tag('k', 'v');
      span.end();
    });
    expect(otel.span('native').events.map((e) => e.name)).toEqual(['from the facade']);
    expect(otel.span('native').attributes).toEqual({ k: 'v' });
  });

  it('continues a trace from a token in another async flow', async () => {
    start('client', 'request');
    const token = getTraceInfo();
    stop('request');
    expect(token).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await context.with(context.active(), async () => {
      start('server', 'response', undefined, undefined, token);
      stop('response');
    });
    expect(otel.span('response').spanContext().traceId).toBe(otel.span('request').spanContext().traceId);
    expect(parentIdOf(otel.span('response'))).toBe(otel.span('request').spanContext().spanId);
  });
});
