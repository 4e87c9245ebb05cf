// The legacy client/server example through configure({ backends: ['zipkin'] }), as the collector double (validating
// every payload as Zipkin does) stores it: one trace, two services, parent and child, the annotation, the three
// tags and the endpoints. In one process (examples/legacy-client-server.ts) and across real HTTP on 127.0.0.1
// (examples/http-client-server.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configure } from 'tomograph';
import { httpClientServer } from '../../examples/http-client-server.js';
import { legacyClientServer } from '../../examples/legacy-client-server.js';
import { startZipkinCollector, type ZipkinCollector, type ZipkinSpan } from '../support/zipkin-collector.js';

let collector: ZipkinCollector;

beforeAll(async () => {
  collector = await startZipkinCollector();
  const tomograph = configure({
    backends: ['zipkin'],
    serviceName: 'example process',
    zipkin: { url: collector.spansUrl },
  });
  legacyClientServer();
  expect(await httpClientServer()).toBe('ok');
  await tomograph.shutdown();
  await collector.waitForSpans(4);
});
afterAll(() => collector.stop());

/**
 * A stored trace, as GET /api/v2/trace/{id} returns it: in one process the server span is local, over HTTP a SERVER.
 */
async function exampleTrace(
  how: 'in one process' | 'across HTTP',
): Promise<{ client: ZipkinSpan; server: ZipkinSpan; all: ZipkinSpan[] }> {
  const kind = how === 'across HTTP' ? 'SERVER' : undefined;
  const found = collector.spans.find((s) => s.name === 'server response' && s.kind === kind);
  const all = (await collector.getTrace(found?.traceId ?? '')) ?? [];
  const pick = (name: string) => all.find((s) => s.name === name) as ZipkinSpan;
  return { client: pick('client request'), server: pick('server response'), all };
}

describe('the legacy client/server example in Zipkin', () => {
  it('was accepted as Zipkin would accept it, every POST', () => {
    expect(collector.posts.length).toBeGreaterThan(0);
    expect(collector.posts.every((p) => p.status === 202)).toBe(true);
  });

  it.each(['in one process', 'across HTTP'] as const)(
    '%s: one trace of two services, with the annotation and the three tags',
    async (how) => {
      const { client, server, all } = await exampleTrace(how);
      expect(all.map((s) => `${s.localEndpoint?.serviceName}/${s.name}`).sort()).toEqual([
        'test client/client request',
        'test server/server response',
      ]);
      expect(client.parentId).toBeUndefined();
      expect(server.parentId).toBe(client.id);
      expect(server.annotations?.map((a) => a.value)).toEqual(['this is an annotation']);
      expect(server.tags).toMatchObject({
        'this is a string': 'foo',
        'this is an int': '42',
        'this is a double': '3.14159',
      });
      expect([client.tags?.['service.name'], server.tags?.['service.name']]).toEqual(['test client', 'test server']);
      for (const span of all) {
        expect(Number.isSafeInteger(span.timestamp)).toBe(true);
        expect(Number.isSafeInteger(span.duration)).toBe(true);
      }
    },
  );

  it('shows the endpoints as tags: as given in one process; across HTTP, the socket that received the request', async () => {
    const local = await exampleTrace('in one process');
    const endpoint = (s: ZipkinSpan) => [s.tags?.['tomograph.endpoint.address'], s.tags?.['tomograph.endpoint.port']];
    expect(endpoint(local.client)).toEqual(['openstack1', '0']);
    expect(endpoint(local.server)).toEqual(['openstack1', '80']);
    const remote = await exampleTrace('across HTTP');
    expect(endpoint(remote.client)).toEqual(['127.0.0.1', '0']);
    expect(remote.server.tags?.['tomograph.endpoint.address']).toBe('127.0.0.1');
    expect(Number(remote.server.tags?.['tomograph.endpoint.port'])).toBeGreaterThan(0);
  });

  it('lists the two traces under each service', async () => {
    expect((await collector.getTraces('test server')).length).toBe(2);
    expect((await collector.getTraces('test client')).length).toBe(2);
  });
});
