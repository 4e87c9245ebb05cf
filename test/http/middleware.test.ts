// The Express middleware and the plain request-listener wrapper on real servers on 127.0.0.1.
import http from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import express from 'express';
import { describe, expect, it } from 'vitest';
import {
  annotate,
  errorMiddleware,
  isTomographError,
  middleware,
  start,
  stop,
  tag,
  traceRequestListener,
} from 'tomograph';
import { parentIdOf } from '../support/otel.js';
import { get, useTracedLoopback } from './loopback.js';

const CALLER_TRACE = '463ac35c9f6413ad48485a3953bb6124';
const CALLER_SPAN = 'a2fb4a1d1a96d312';

const loopback = useTracedLoopback();

/** Waits until `count` spans named `name` have ended (a response's 'finish' may follow the client's read). */
async function ended(name: string, count = 1) {
  for (
    let i = 0;
    i < 200 &&
    loopback
      .otel()
      .spans()
      .filter((s) => s.name === name).length < count;
    i++
  )
    await new Promise((r) => setTimeout(r, 5));
  return loopback
    .otel()
    .spans()
    .filter((s) => s.name === name);
}

function expressApp() {
  const app = express();
  app.use(middleware({ serviceName: 'test server', name: 'request' }));
  app.get('/ok', (_req, res) => {
    annotate('handled');
    tag('k', 'v');
    start('test server db', 'query');
    stop('query');
    res.send('ok');
  });
  app.get('/fail', () => {
    throw new Error('boom');
  });
  app.get('/503', (_req, res) => {
    res.status(503).send('busy');
  });
  app.get('/slow', () => undefined); // never answers: the client gives up
  app.get('/leak', (_req, res) => {
    start('test server', 'leaked'); // never stopped
    res.send('leaked');
  });
  return app;
}

describe('middleware (Express)', () => {
  it('traces a request as a SERVER span continuing the caller, with endpoint, status, notes and nested spans', async () => {
    const server = await loopback.serve(expressApp());
    const reply = await get(`${server.url}/ok`, { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` });
    expect(reply).toMatchObject({ status: 200, body: 'ok' });
    const [span] = await ended('request');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(CALLER_TRACE);
    expect(parentIdOf(span!)).toBe(CALLER_SPAN);
    expect(span?.attributes).toEqual({
      'service.name': 'test server',
      'tomograph.endpoint.address': '127.0.0.1',
      'tomograph.endpoint.port': server.port,
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      k: 'v',
    });
    expect(span?.events.map((e) => e.name)).toEqual(['handled']);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(parentIdOf(loopback.otel().span('query'))).toBe(span?.spanContext().spanId);
  });

  it('starts a new root trace when the request carries no trace or a malformed one', async () => {
    const server = await loopback.serve(expressApp());
    for (const headers of [
      {},
      { traceparent: `00-${CALLER_TRACE.toUpperCase()}-${CALLER_SPAN}-01` },
      { b3: 'x'.repeat(5000) },
      { 'x-trace-info': 'garbage' },
    ]) {
      expect((await get(`${server.url}/ok`, headers)).status).toBe(200);
    }
    const spans = await ended('request', 4);
    expect(spans.map((s) => parentIdOf(s))).toEqual([undefined, undefined, undefined, undefined]);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(4);
    expect(spans.some((s) => s.spanContext().traceId === CALLER_TRACE.toLowerCase())).toBe(false);
  });

  it('marks a thrown error (answered 500 by Express) and a 5xx answer as ERROR', async () => {
    const server = await loopback.serve(expressApp());
    expect((await get(`${server.url}/fail`)).status).toBe(500);
    expect((await get(`${server.url}/503`)).status).toBe(503);
    const [failed, busy] = await ended('request', 2);
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'HTTP 500' });
    expect(busy?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'HTTP 503' });
    expect(busy?.attributes['http.response.status_code']).toBe(503);
  });

  it('records the thrown error itself, with its message, when errorMiddleware follows the routes', async () => {
    const app = expressApp();
    app.use(errorMiddleware());
    const server = await loopback.serve(app);
    expect((await get(`${server.url}/fail`)).status).toBe(500);
    const [failed] = await ended('request');
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(failed?.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([['exception', 'boom']]);
    expect(failed?.attributes['http.response.status_code']).toBe(500);
  });

  it('ends the span when the client closes the connection before the response', async () => {
    const server = await loopback.serve(expressApp());
    const req = http.get(`${server.url}/slow`);
    req.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    const [span] = await ended('request');
    expect(span?.events.map((e) => e.name)).toEqual(['connection closed early']);
    expect(span?.ended).toBe(true);
  });

  it('leaks nothing across keep-alive requests on one socket', async () => {
    const server = await loopback.serve(expressApp());
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(`${server.url}/leak`, {}, agent);
    const second = await get(`${server.url}/leak`, {}, agent);
    agent.destroy();
    expect(first.socketPort).toBe(second.socketPort);
    const requests = await ended('request', 2);
    // The leaked spans never end; each request's own span is a root, not a child of the last request's leak.
    expect(requests.map((s) => parentIdOf(s))).toEqual([undefined, undefined]);
    expect(requests[0]?.spanContext().traceId).not.toBe(requests[1]?.spanContext().traceId);
  });

  it.each([
    [{}, 'serviceName must be a non-empty string'],
    [{ serviceName: 'svc', name: '' }, 'name must be a non-empty string'],
    [{ serviceName: 'svc', legacyHeader: 'yes' }, 'legacyHeader must be a boolean'],
  ])('refuses options %j when the middleware is made', (options, message) => {
    let thrown: unknown;
    try {
      middleware(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(isTomographError(thrown) && thrown.code).toBe('INVALID_OPTION');
    expect((thrown as Error).message).toContain(message);
  });
});

describe('traceRequestListener (plain http.createServer)', () => {
  it('records a thrown error and a rejected promise on the span and passes them on unchanged', async () => {
    const throwing = traceRequestListener({ serviceName: 'test server', name: 'sync' }, () => {
      throw new Error('sync boom');
    });
    const rejecting = traceRequestListener({ serviceName: 'test server', name: 'async' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      throw new Error('async boom');
    });
    const passedOn: string[] = [];
    const server = await loopback.serve((req, res) => {
      const fail = (error: Error) => {
        passedOn.push(error.message);
        res.statusCode = 500;
        res.end();
      };
      if (req.url === '/sync') {
        try {
          throwing(req, res);
        } catch (error) {
          fail(error as Error);
        }
      } else {
        rejecting(req, res).catch(fail);
      }
    });
    expect((await get(`${server.url}/sync`)).status).toBe(500);
    expect((await get(`${server.url}/async`)).status).toBe(500);
    expect(passedOn).toEqual(['sync boom', 'async boom']);
    const [sync] = await ended('sync');
    const [rejected] = await ended('async');
    expect(sync?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'sync boom' });
    expect(rejected?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'async boom' });
    expect(sync?.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('leaks nothing across keep-alive requests, where a bare listener would (bridge pitfall 2)', async () => {
    const listener = traceRequestListener({ serviceName: 'test server', name: 'request' }, (_req, res) => {
      start('test server', 'leaked');
      res.end('ok');
    });
    const server = await loopback.serve(listener);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const replies = [
      await get(server.url, {}, agent),
      await get(server.url, {}, agent),
      await get(server.url, {}, agent),
    ];
    agent.destroy();
    expect(new Set(replies.map((r) => r.socketPort)).size).toBe(1);
    const requests = await ended('request', 3);
    expect(requests.map((s) => parentIdOf(s))).toEqual([undefined, undefined, undefined]);
  });
});
