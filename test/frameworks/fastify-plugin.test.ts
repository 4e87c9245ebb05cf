// What is particular to tomograph/fastify's plugin, on Fastify 4 and 5 with their own types: where it applies
// (encapsulation), registered twice, a hook of the app's that loses the context, and why the natural adapter fails.
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import Fastify5, { type FastifyInstance } from 'fastify';
import Fastify4, { type FastifyInstance as FastifyInstance4 } from 'fastify-4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotate, middleware, start, stop } from 'tomograph';
import { fastifyTracing } from 'tomograph/fastify';
import { get } from '../http/loopback.js';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';

const pause = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

let otel: OtelHarness;
const closing: (() => Promise<unknown>)[] = [];
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
  await otel.teardown();
});

async function ended(name: string, count = 1) {
  for (let i = 0; i < 400 && otel.spans().filter((s) => s.name === name).length < count; i++) await pause(5);
  return otel.spans().filter((s) => s.name === name);
}

/** Callbacks queued and run later from a timer started outside any request: the callbacks lose the context. */
function contextLosingQueue() {
  const queue: (() => void)[] = [];
  const timer = setInterval(() => queue.splice(0).forEach((callback) => callback()), 2);
  closing.push(async () => clearInterval(timer));
  return (callback: () => void) => void queue.push(callback);
}

async function work(label: string) {
  start('shop db', `${label} work`);
  await pause();
  stop(`${label} work`);
  return label;
}

// Each version's own types accept the plugin (tsc checks these two lines); the tests then use Fastify 5's types.
const registerOn4 = (app: FastifyInstance4) => app.register(fastifyTracing({ serviceName: 'shop api' }));
const registerOn5 = (app: FastifyInstance) => app.register(fastifyTracing({ serviceName: 'shop api' }));
type App = FastifyInstance;

const versions = [
  {
    name: 'Fastify 4',
    create: () => Fastify4() as unknown as App,
    register: (app: App) => registerOn4(app as unknown as FastifyInstance4),
  },
  { name: 'Fastify 5', create: () => Fastify5(), register: registerOn5 },
];

describe.each(versions)('$name', (version) => {
  async function listen(build: (app: App) => Promise<void> | void): Promise<string> {
    const app = version.create();
    await build(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    closing.push(() => app.close());
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }

  it('registered on the root, traces the routes of every plugin, encapsulated or not, registered after it', async () => {
    const url = await listen(async (app) => {
      await version.register(app);
      app.get('/root', () => work('root'));
      await app.register(
        async (child) => {
          child.get('/child', () => work('child'));
        },
        { prefix: '/api' },
      );
    });
    expect((await get(`${url}/root`)).body).toBe('root');
    expect((await get(`${url}/api/child`)).body).toBe('child');
    const requests = await ended('HTTP', 2);
    expect(requests).toHaveLength(2);
    expect(parentIdOf(otel.span('root work'))).toBe(requests[0]?.spanContext().spanId);
    expect(parentIdOf(otel.span('child work'))).toBe(requests[1]?.spanContext().spanId);
  });

  it("registered inside a plugin, traces that plugin's routes only", async () => {
    const url = await listen(async (app) => {
      app.get('/untraced', () => work('untraced'));
      await app.register(
        async (child) => {
          await version.register(child);
          child.get('/traced', () => work('traced'));
        },
        { prefix: '/api' },
      );
      await app.register(async (sibling) => {
        sibling.get('/sibling', () => work('sibling'));
      });
    });
    for (const path of ['/untraced', '/api/traced', '/sibling']) expect((await get(`${url}${path}`)).status).toBe(200);
    const [request] = await ended('HTTP');
    await ended('sibling work');
    expect(otel.spans().filter((s) => s.name === 'HTTP')).toHaveLength(1);
    expect(parentIdOf(otel.span('traced work'))).toBe(request?.spanContext().spanId);
    expect(parentIdOf(otel.span('untraced work'))).toBeUndefined();
    expect(parentIdOf(otel.span('sibling work'))).toBeUndefined();
  });

  it('makes one request span when registered both on the root and in a plugin', async () => {
    const url = await listen(async (app) => {
      await version.register(app);
      await app.register(async (child) => {
        await version.register(child);
        child.get('/twice', () => work('twice'));
      });
    });
    await get(`${url}/twice`);
    const [request] = await ended('HTTP');
    await pause(20);
    expect(otel.spans().filter((s) => s.name === 'HTTP')).toHaveLength(1);
    expect(parentIdOf(otel.span('twice work'))).toBe(request?.spanContext().spanId);
  });

  it('keeps the handler inside the request span when an app hook calls done() from a callback that lost the context', async () => {
    const later = contextLosingQueue();
    const url = await listen(async (app) => {
      await version.register(app);
      app.addHook('onRequest', (_request, _reply, done) => later(done));
      app.addHook('preHandler', (_request, _reply, done) => later(done));
      app.get('/queued', () => {
        annotate('handled');
        return work('queued');
      });
    });
    expect((await get(`${url}/queued`)).body).toBe('queued');
    const [request] = await ended('HTTP');
    expect(parentIdOf(otel.span('queued work'))).toBe(request?.spanContext().spanId);
    expect(request?.events.map((e) => e.name)).toEqual(['handled']);
  });

  it("the natural adapter, an async onRequest hook awaiting Express's middleware, leaves the request span empty", async () => {
    const express = middleware({ serviceName: 'shop api' });
    const url = await listen((app) => {
      app.addHook('onRequest', async (request, reply) => {
        await new Promise<void>((resolve) => express(request.raw, reply.raw, () => resolve()));
      });
      app.get('/natural', () => work('natural'));
    });
    await get(`${url}/natural`);
    const [request] = await ended('HTTP');
    // The handler's span starts a trace of its own: the hook's promise resumed Fastify outside the span's context.
    expect(parentIdOf(otel.span('natural work'))).toBeUndefined();
    expect(otel.span('natural work').spanContext().traceId).not.toBe(request?.spanContext().traceId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
