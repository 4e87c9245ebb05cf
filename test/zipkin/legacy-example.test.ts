// The legacy client/server example through configure({ backends: ['zipkin'] }) and real HTTP on 127.0.0.1, as
// the collector double (validating every payload as Zipkin does) stores it: one trace, two services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTraceInfoHeader, annotate, configure, start, startHttp, stop, tag, type Tomograph } from 'tomograph';
import { get, listen, type LoopbackServer } from '../http/loopback.js';
import { startZipkinCollector, type ZipkinCollector, type ZipkinSpan } from '../support/zipkin-collector.js';

let collector: ZipkinCollector;
let tomograph: Tomograph;
let server: LoopbackServer;
let client: ZipkinSpan;
let handled: ZipkinSpan;

beforeAll(async () => {
  collector = await startZipkinCollector();
  tomograph = configure({ backends: ['zipkin'], serviceName: 'example process', zipkin: { url: collector.spansUrl }, batch: { scheduledDelayMillis: 50 } });
  // The server side of the example, as a Python WSGI app wrote it: start_http, note, tags, stop.
  server = await listen((req, res) => {
    startHttp('test server', 'server handle', req);
    annotate('this is an annotation');
    tag('this is a string tag', 'a string');
    tag('this is an int tag', 42);
    tag('this is a float tag', 1.5);
    stop('server handle');
    res.end('ok');
  });
  start('test client', 'client call', '10.0.0.7', 8080);
  await get(server.url, addTraceInfoHeader({}));
  stop('client call');
  await tomograph.shutdown();
  const spans = await collector.waitForSpans(2);
  client = spans.find((s) => s.name === 'client call') as ZipkinSpan;
  handled = spans.find((s) => s.name === 'server handle') as ZipkinSpan;
});
afterAll(async () => {
  await server.close();
  await collector.stop();
});

describe('the legacy client/server example in Zipkin', () => {
  it('is one trace of two services, the server span a child of the client span', async () => {
    expect(collector.posts.every((p) => p.status === 202)).toBe(true);
    const stored = await collector.getTrace(client.traceId);
    expect(stored?.map((s) => `${s.localEndpoint?.serviceName}/${s.name}/${s.parentId ?? 'root'}`).sort()).toEqual([
      `test client/client call/root`,
      `test server/server handle/${client.id}`,
    ]);
    expect((await collector.getTraces('test server')).map((t) => t.length)).toEqual([2]);
  });

  it('shows the annotation, the three tags and both endpoints', () => {
    expect(handled.annotations?.map((a) => a.value)).toEqual(['this is an annotation']);
    expect(handled.kind).toBe('SERVER');
    expect(handled.tags).toEqual({
      'service.name': 'test server',
      'tomograph.endpoint.address': '127.0.0.1',
      'tomograph.endpoint.port': String(server.port),
      'http.request.method': 'GET',
      'this is a string tag': 'a string',
      'this is an int tag': '42',
      'this is a float tag': '1.5',
    });
    expect(client.tags?.['tomograph.endpoint.address']).toBe('10.0.0.7');
    expect(client.tags?.['tomograph.endpoint.port']).toBe('8080');
    expect(client.tags?.['service.name']).toBe('test client');
  });

  it('has whole-microsecond timestamps, within the client span', () => {
    for (const span of [client, handled]) {
      expect(Number.isSafeInteger(span.timestamp)).toBe(true);
      expect(Number.isSafeInteger(span.duration)).toBe(true);
    }
    expect(handled.timestamp ?? 0).toBeGreaterThanOrEqual(client.timestamp ?? Infinity);
    expect((handled.timestamp ?? 0) + (handled.duration ?? 0)).toBeLessThanOrEqual((client.timestamp ?? 0) + (client.duration ?? 0) + 1);
  });
});
