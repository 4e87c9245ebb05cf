// addTraceInfoHeader and startHttp, the legacy helpers, across a real HTTP call on 127.0.0.1.
import http from 'node:http';
import { propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { describe, expect, it } from 'vitest';
import { addTraceInfoHeader, getTraceInfo, start, startHttp, stop, type StartHttpOptions } from 'tomograph';
import { writeLegacyTraceInfo } from '../../src/propagation/legacy-pickle.js';
import { parentIdOf } from '../support/otel.js';
import { get, useTracedLoopback } from './loopback.js';

const loopback = useTracedLoopback();

/** A server whose handler is the legacy pattern: start_http, work, stop. */
async function legacyServer(options: StartHttpOptions = {}) {
  return loopback.serve((req, res) => {
    startHttp('test server', 'server handle', req, options);
    stop('server handle');
    res.end('ok');
  });
}

describe('addTraceInfoHeader', () => {
  it('writes traceparent and no X-Trace-Info (which unmodified Python services unpickle), on a plain object, fetch Headers and a ClientRequest', () => {
    start('test client', 'call');
    const token = getTraceInfo();
    const plain = addTraceInfoHeader({ accept: 'text/plain' });
    const headers = addTraceInfoHeader(new Headers());
    const request = http.request('http://127.0.0.1:1/');
    request.on('error', () => undefined);
    addTraceInfoHeader(request);
    request.destroy();
    stop('call');
    expect(token).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(plain).toEqual({ accept: 'text/plain', traceparent: token });
    expect([...headers.entries()]).toEqual([['traceparent', token]]);
    expect(request.getHeader('x-trace-info')).toBeUndefined();
    expect(request.getHeader('traceparent')).toBe(token);
  });

  it("with legacyHeader writes the original's X-Trace-Info: the lower 64 bits of the trace id and the span id, as signed 64-bit integers", () => {
    start('test client', 'call');
    const sc = trace.getActiveSpan()!.spanContext();
    const headers = addTraceInfoHeader({} as Record<string, string>, { legacyHeader: true });
    stop('call');
    const pickled = Buffer.from(headers['X-Trace-Info'] ?? '', 'base64').toString('latin1');
    const match = /^\(I(-?\d+)\nI(-?\d+)\ntp0\n\.$/.exec(pickled);
    expect(match).not.toBeNull();
    const bits = (decimal: string) => BigInt.asUintN(64, BigInt(decimal)).toString(16).padStart(16, '0');
    expect([bits(match![1]!), bits(match![2]!)]).toEqual([sc.traceId.slice(16), sc.spanId]);
    for (const id of [match![1]!, match![2]!]) expect(BigInt(id) === BigInt.asIntN(64, BigInt(id))).toBe(true);
    expect(headers.traceparent).toBe(`00-${sc.traceId}-${sc.spanId}-01`);
  });

  it('adds nothing when no span is active', () => {
    expect(addTraceInfoHeader({})).toEqual({});
  });

  it('also writes B3 headers when a B3 propagator is registered', () => {
    propagation.disable();
    propagation.setGlobalPropagator(
      new CompositePropagator({
        propagators: [
          new W3CTraceContextPropagator(),
          new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
        ],
      }),
    );
    start('test client', 'call');
    const sc = trace.getActiveSpan()?.spanContext();
    const headers = addTraceInfoHeader({});
    stop('call');
    expect(headers).toEqual({
      traceparent: `00-${sc?.traceId}-${sc?.spanId}-01`,
      'x-b3-traceid': sc?.traceId,
      'x-b3-spanid': sc?.spanId,
      'x-b3-sampled': '1',
    });
  });
});

describe('startHttp', () => {
  it('continues the client trace over real HTTP, and stop() restores what was active before', async () => {
    const server = await legacyServer();
    start('test client', 'client call');
    const reply = await get(server.url, addTraceInfoHeader({}));
    stop('client call');
    expect(reply.status).toBe(200);
    const client = loopback.otel().span('client call');
    const handled = loopback.otel().span('server handle');
    expect(handled.spanContext().traceId).toBe(client.spanContext().traceId);
    expect(parentIdOf(handled)).toBe(client.spanContext().spanId);
    expect(handled.attributes['tomograph.endpoint.port']).toBe(server.port);
    expect(handled.attributes['tomograph.endpoint.address']).toBe('127.0.0.1');
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('continues from a token in X-Trace-Info (what earlier versions wrote) when no propagator is registered', async () => {
    propagation.disable();
    const server = await legacyServer();
    start('test client', 'client call');
    const headers = { 'X-Trace-Info': getTraceInfo() ?? '' };
    const reply = await get(server.url, headers);
    stop('client call');
    expect(addTraceInfoHeader({})).toEqual({});
    expect(reply.status).toBe(200);
    expect(parentIdOf(loopback.otel().span('server handle'))).toBe(
      loopback.otel().span('client call').spanContext().spanId,
    );
  });

  it('continues from the legacy Python header only when legacyHeader is on', async () => {
    const legacy = writeLegacyTraceInfo({ traceId: '463ac35c9f6413ad', spanId: 'a2fb4a1d1a96d312' }) ?? '';
    await get((await legacyServer({ legacyHeader: true })).url, { 'X-Trace-Info': legacy });
    await get((await legacyServer()).url, { 'X-Trace-Info': legacy });
    const [withOption, without] = loopback
      .otel()
      .spans()
      .filter((s) => s.name === 'server handle');
    expect(withOption?.spanContext().traceId).toBe('0000000000000000463ac35c9f6413ad');
    expect(parentIdOf(withOption!)).toBe('a2fb4a1d1a96d312');
    expect(parentIdOf(without!)).toBeUndefined();
    expect(without?.spanContext().traceId).not.toBe('0000000000000000463ac35c9f6413ad');
  });
});
