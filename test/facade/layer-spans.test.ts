// annotate and tag skip a web framework instrumentation's layer span (made by a tracer of that instrumentation's
// scope): the note goes to the innermost open facade span, else to instrumentation-http's server span; a span the
// application made active over the layer takes it as usual.
import { context, trace } from '@opentelemetry/api';
import { RPCType, setRPCMetadata } from '@opentelemetry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotate, start, stop, tag } from 'tomograph';
import { SDK_LINES, setupOtel, type OtelHarness } from '../support/otel.js';

describe.each(SDK_LINES)('with the OTel SDK %s', (line) => {
  let otel: OtelHarness;
  beforeEach(() => {
    otel = setupOtel(line);
  });
  afterEach(() => otel.teardown());

  const express = () => trace.getTracer('@opentelemetry/instrumentation-express');
  const koa = () => trace.getTracer('@opentelemetry/instrumentation-koa');

  function inLayer(tracer: ReturnType<typeof express>, name: string, fn: () => void): void {
    const layer = tracer.startSpan(name);
    context.with(trace.setSpan(context.active(), layer), fn);
    layer.end();
  }

  it('puts a note and a tag made under a layer span on the innermost facade span', () => {
    start('api', 'request');
    inLayer(express(), 'request handler - /items/:id', () => {
      inLayer(koa(), 'middleware - auth', () => {
        annotate('handled');
        tag('item.id', 42);
      });
    });
    stop('request');
    expect(otel.span('request').events.map((e) => e.name)).toEqual(['handled']);
    expect(otel.span('request').attributes['item.id']).toBe(42);
    for (const name of ['request handler - /items/:id', 'middleware - auth']) {
      expect([otel.span(name).events, otel.span(name).attributes['item.id']]).toEqual([[], undefined]);
    }
  });

  it("puts it on instrumentation-http's server span when no facade span is open, and on the layer when nothing else is there", () => {
    const server = otel.tracer.startSpan('GET');
    const request = setRPCMetadata(trace.setSpan(context.active(), server), { type: RPCType.HTTP, span: server });
    context.with(request, () => inLayer(express(), 'request handler - /', () => annotate('on the server span')));
    server.end();
    inLayer(express(), 'request handler - /alone', () => annotate('on the layer'));
    expect(otel.span('GET').events.map((e) => e.name)).toEqual(['on the server span']);
    expect(otel.span('request handler - /').events).toEqual([]);
    expect(otel.span('request handler - /alone').events.map((e) => e.name)).toEqual(['on the layer']);
  });

  it('puts it on a span the application made active over the layer', () => {
    start('api', 'request');
    inLayer(express(), 'request handler - /', () => {
      otel.tracer.startActiveSpan('native work', (span) => {
        annotate('native note');
        span.end();
      });
    });
    stop('request');
    expect(otel.span('native work').events.map((e) => e.name)).toEqual(['native note']);
    expect(otel.span('request').events).toEqual([]);
  });
});
