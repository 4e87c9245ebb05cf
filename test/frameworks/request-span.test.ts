// tomograph/fastify's plugin and tomograph/koa's middleware on Fastify 4 and 5 and Koa 2 and 3, on real servers on
// 127.0.0.1: the request's server span, the headers it continues, errors, and what the handler records under it.
import http from 'node:http';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import Fastify5 from 'fastify';
import Fastify4 from 'fastify-4';
import Koa3 from 'koa';
import Koa2 from 'koa-2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotate, isTomographError, start, stop, tag } from 'tomograph';
import { fastifyTracing } from 'tomograph/fastify';
import { koaTracing } from 'tomograph/koa';
import { writeLegacyTraceInfo } from '../../src/propagation/legacy-pickle.js';
import { get } from '../http/loopback.js';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';
import { fastifyFramework, koaFramework, type Route, type ServedApp } from './apps.js';

const CALLER_TRACE = '463ac35c9f6413ad48485a3953bb6124';
const CALLER_SPAN = 'a2fb4a1d1a96d312';
const pause = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

let otel: OtelHarness;
let served: ServedApp | undefined;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await served?.close();
  served = undefined;
  await otel.teardown();
});

/** Waits until `count` spans named `name` have ended (a response's 'finish' may follow the client's read). */
async function ended(name: string, count = 1) {
  for (let i = 0; i < 400 && otel.spans().filter((s) => s.name === name).length < count; i++) await pause(5);
  return otel.spans().filter((s) => s.name === name);
}

function post(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    // The body goes out after a pause, so that the server reads it from a later 'data' event.
    req.flushHeaders();
    setTimeout(() => req.end(text), 20);
  });
}

const routes: Route[] = [
  {
    method: 'GET',
    path: '/ok',
    async handle() {
      annotate('handled');
      tag('k', 'v');
      start('test server db', 'query');
      await pause();
      stop('query');
      trace.getTracer('native').startActiveSpan('native', (span) => span.end());
      return { body: 'ok' };
    },
  },
  {
    method: 'POST',
    path: '/echo',
    async handle({ body }) {
      start('test server db', 'after body');
      stop('after body');
      annotate('body read');
      return { body };
    },
  },
  {
    method: 'GET',
    path: '/fail',
    async handle() {
      await pause();
      throw new Error('boom');
    },
  },
  {
    method: 'GET',
    path: '/teapot',
    handle() {
      throw Object.assign(new Error('no coffee'), { status: 418, statusCode: 418, expose: true });
    },
  },
  { method: 'GET', path: '/busy', handle: () => ({ status: 503, body: 'busy' }) },
  {
    method: 'GET',
    path: '/leak',
    handle() {
      start('test server', 'leaked'); // never stopped
      return { body: 'leaked' };
    },
  },
];

const frameworks = [
  fastifyFramework('Fastify 4', Fastify4),
  fastifyFramework('Fastify 5', Fastify5),
  koaFramework('Koa 2', Koa2),
  koaFramework('Koa 3', Koa3),
];

describe.each(frameworks)('$name', (framework) => {
  const serve = async (
    options = { serviceName: 'test server', name: 'request' } as {
      serviceName: string;
      name?: string;
      legacyHeader?: boolean;
    },
  ) => {
    await served?.close();
    served = await framework.serve(routes, { tracing: options });
    return served;
  };

  it('traces a request as a SERVER span continuing traceparent, with endpoint, status, notes and the nested spans', async () => {
    const app = await serve();
    const reply = await get(`${app.url}/ok`, { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` });
    expect(reply).toMatchObject({ status: 200, body: 'ok' });
    const [span] = await ended('request');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(CALLER_TRACE);
    expect(parentIdOf(span!)).toBe(CALLER_SPAN);
    expect(span?.attributes).toEqual({
      'service.name': 'test server',
      'tomograph.endpoint.address': '127.0.0.1',
      'tomograph.endpoint.port': app.port,
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      k: 'v',
    });
    expect(span?.events.map((e) => e.name)).toEqual(['handled']);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(parentIdOf(otel.span('query'))).toBe(span?.spanContext().spanId);
    expect(parentIdOf(otel.span('native'))).toBe(span?.spanContext().spanId);
  });

  it('continues a trace from X-Trace-Info alone, and from the Python header only with legacyHeader', async () => {
    const legacy = writeLegacyTraceInfo({ traceId: '463ac35c9f6413ad', spanId: CALLER_SPAN }) ?? '';
    await get(`${(await serve()).url}/ok`, { 'X-Trace-Info': `00-${CALLER_TRACE}-${CALLER_SPAN}-01` });
    await get(`${(await serve()).url}/ok`, { 'X-Trace-Info': legacy });
    await get(`${(await serve({ serviceName: 'test server', name: 'request', legacyHeader: true })).url}/ok`, {
      'X-Trace-Info': legacy,
    });
    const [token, ignored, python] = await ended('request', 3);
    expect([token?.spanContext().traceId, parentIdOf(token!)]).toEqual([CALLER_TRACE, CALLER_SPAN]);
    expect(parentIdOf(ignored!)).toBeUndefined();
    expect([python?.spanContext().traceId, parentIdOf(python!)]).toEqual([
      '0000000000000000463ac35c9f6413ad',
      CALLER_SPAN,
    ]);
  });

  it('keeps the handler inside the request span after the framework reads a JSON body that arrived late', async () => {
    const app = await serve();
    expect(await post(`${app.url}/echo`, { item: 1 })).toBe(200);
    const [span] = await ended('request');
    expect(parentIdOf(otel.span('after body'))).toBe(span?.spanContext().spanId);
    expect(span?.events.map((e) => e.name)).toEqual(['body read']);
    expect(otel.spans().filter((s) => s.name === 'orphan')).toEqual([]);
  });

  it('records a thrown error with its message, leaves a 4xx error unmarked, and marks a 5xx answer ERROR', async () => {
    const app = await serve();
    expect((await get(`${app.url}/fail`)).status).toBe(500);
    expect((await get(`${app.url}/teapot`)).status).toBe(418);
    expect((await get(`${app.url}/busy`)).status).toBe(503);
    const [failed, teapot, busy] = await ended('request', 3);
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(failed?.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([['exception', 'boom']]);
    expect(failed?.attributes['http.response.status_code']).toBe(500);
    expect(teapot?.status.code).toBe(SpanStatusCode.UNSET);
    expect(teapot?.events).toEqual([]);
    expect(teapot?.attributes['http.response.status_code']).toBe(418);
    expect(busy?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'HTTP 503' });
  });

  it('leaks nothing across keep-alive requests on one socket', async () => {
    const app = await serve();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(`${app.url}/leak`, {}, agent);
    const second = await get(`${app.url}/leak`, {}, agent);
    agent.destroy();
    expect(first.socketPort).toBe(second.socketPort);
    const requests = await ended('request', 2);
    expect(requests.map((s) => parentIdOf(s))).toEqual([undefined, undefined]);
    expect(requests[0]?.spanContext().traceId).not.toBe(requests[1]?.spanContext().traceId);
  });
});

describe.each([
  ['fastifyTracing', fastifyTracing],
  ['koaTracing', koaTracing],
] as const)('%s options', (_name, make) => {
  it.each([
    [{}, 'serviceName must be a non-empty string'],
    [{ serviceName: 'svc', name: '' }, 'name must be a non-empty string'],
    [{ serviceName: 'svc', legacyHeader: 'yes' }, 'legacyHeader must be a boolean'],
  ])('refuses %j when the plugin or middleware is made', (options, message) => {
    let thrown: unknown;
    try {
      make(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(isTomographError(thrown) && thrown.code).toBe('INVALID_OPTION');
    expect((thrown as Error).message).toContain(message);
  });
});
