// The collector double answers as Zipkin does: 202 for what Zipkin stores, 400 for what it refuses, and fails on
// demand.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZipkinCollector, type ZipkinCollector } from '../support/zipkin-collector.js';

const TRACE = '463ac35c9f6413ad48485a3953bb6124';
const span = (over: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  id: 'a2fb4a1d1a96d312',
  name: 'GET /x',
  kind: 'SERVER',
  timestamp: 1700000000000123,
  duration: 1431,
  localEndpoint: { serviceName: 'Test Server' },
  tags: { 'http.method': 'GET' },
  annotations: [{ timestamp: 1700000000000200, value: 'ok' }],
  ...over,
});

let collector: ZipkinCollector;
beforeAll(async () => {
  collector = await startZipkinCollector();
});
afterAll(() => collector.stop());

async function post(body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(collector.spansUrl, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: res.status, text: await res.text() };
}

describe('collector double: POST /api/v2/spans', () => {
  it.each([
    ['a span as the stock exporter sends it', JSON.stringify([span()])],
    ['an empty body', ''],
    ['an empty list', '[]'],
    ['a zero duration (Zipkin stores it as absent)', JSON.stringify([span({ id: '00000000000000d0', duration: 0 })])],
    ['a 64-bit trace id', JSON.stringify([span({ traceId: '463ac35c9f6413ad', id: '00000000000000c1' })])],
    ['unknown fields (Zipkin skips them)', JSON.stringify([span({ id: '00000000000000c2', extra: 1 })])],
  ])('accepts %s with 202', async (_name, body) => {
    expect((await post(body)).status).toBe(202);
  });

  it.each([
    ['a start time with a fraction of a microsecond', span({ timestamp: 1700000000000123 + 0.25 }), 'timestamp'],
    ['an upper-case trace id', span({ traceId: TRACE.toUpperCase() }), 'traceId'],
    ['a 20-character trace id', span({ traceId: TRACE.slice(0, 20) }), 'traceId'],
    ['an all-zero trace id', span({ traceId: '0'.repeat(32) }), 'traceId'],
    ['a 15-character span id', span({ id: 'a2fb4a1d1a96d31' }), 'id'],
    ['a span id with a non-hex tail (the yaml pattern is unanchored)', span({ id: 'a2fb4a1d1a96d31z' }), 'id'],
    ['a parent id inside longer text', span({ parentId: 'xa2fb4a1d1a96d31' }), 'parentId'],
    ['a numeric tag value', span({ tags: { port: 80 } }), 'tags'],
    ['an unknown kind', span({ kind: 'INTERNAL' }), 'kind'],
    ['a span without an id', span({ id: undefined }), 'id'],
    ['a negative duration', span({ duration: -1 }), 'duration'],
    ['an invalid ipv4 endpoint', span({ localEndpoint: { serviceName: 'a', ipv4: '999.1.1.1' } }), 'ipv4'],
    ['a v1 span (binaryAnnotations)', span({ binaryAnnotations: [] }), 'v1'],
  ])('refuses %s with 400 and a message', async (_name, bad, word) => {
    const before = collector.spans.length;
    const res = await post(JSON.stringify([span({ id: 'b000000000000001' }), bad]));
    expect(res.status).toBe(400);
    expect(res.text).toContain(word);
    // The whole batch is refused, as Zipkin does.
    expect(collector.spans.length).toBe(before);
  });

  it('refuses a body that is not JSON with 400', async () => {
    expect((await post('{"traceId":')).status).toBe(400);
  });

  it('reads a gzip body', async () => {
    const res = await post(gzipSync(JSON.stringify([span({ id: '00000000000000c3' })])), {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(202);
  });
});

describe('collector double: queries', () => {
  it('returns a trace by id, normalised as Zipkin stores it', async () => {
    const id = '0000000000000000' + 'abcdefabcdef0001';
    expect((await post(JSON.stringify([span({ traceId: id, id: '00000000000000e1', name: 'MiXed' })]))).status).toBe(
      202,
    );
    const found = await collector.getTrace('abcdefabcdef0001');
    expect(found).toEqual([
      {
        ...span({ traceId: 'abcdefabcdef0001', id: '00000000000000e1', name: 'mixed' }),
        localEndpoint: { serviceName: 'test server' },
      },
    ]);
    expect(await collector.getTrace(id)).toEqual(found);
  });

  it('answers 404 for an unknown trace and lists traces by service name', async () => {
    expect(await collector.getTrace('1234567890abcdef')).toBeUndefined();
    expect((await collector.getTraces('test server')).length).toBeGreaterThan(0);
    expect(await collector.getTraces('nobody')).toEqual([]);
  });
});

describe('collector double: failures', () => {
  it('answers 500 in fail mode and stores nothing', async () => {
    await collector.setMode('fail');
    const before = collector.spans.length;
    expect((await post(JSON.stringify([span({ id: '00000000000000f1' })]))).status).toBe(500);
    expect(collector.spans.length).toBe(before);
    await collector.setMode('accept');
  });

  it('reads the POST and never answers in hang mode', async () => {
    await collector.setMode('hang');
    const outcome = await fetch(collector.spansUrl, {
      method: 'POST',
      body: '[]',
      signal: AbortSignal.timeout(300),
    }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    expect(outcome).toBe('TimeoutError');
    expect(collector.posts.at(-1)).toEqual({ status: 0, message: 'never answered', spanCount: 0 });
    await collector.setMode('accept');
  });

  it('refuses connections in refuse mode, then listens again on the same port', async () => {
    await collector.setMode('refuse');
    // A fresh connection (no pooled socket), as an exporter's next export would open.
    const refused = await new Promise<string | undefined>((resolve) => {
      const req = request(collector.spansUrl, { method: 'POST', agent: false }, () => resolve('answered'));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      req.end('[]');
    });
    expect(refused).toBe('ECONNREFUSED');
    await collector.setMode('accept');
    expect((await post('[]')).status).toBe(202);
  });
});
