// What is particular to tomograph/koa's middleware, on Koa 2 and 3 with their types: Koa's own use() accepts it,
// and why the natural adapter (awaiting Express's middleware, then next()) fails where it does not.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa3 from 'koa';
import Koa2 from 'koa-2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { middleware, start, stop } from 'tomograph';
import { koaTracing } from 'tomograph/koa';
import { get } from '../http/loopback.js';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';

const pause = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

let otel: OtelHarness;
let server: http.Server | undefined;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  server = undefined;
  await otel.teardown();
});

async function ended(name: string) {
  for (let i = 0; i < 400 && !otel.spans().some((s) => s.name === name); i++) await pause(5);
  return otel.spans().filter((s) => s.name === name);
}

async function listen(app: Koa3): Promise<string> {
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function work(): Promise<string> {
  start('shop db', 'work');
  await pause();
  stop('work');
  return 'done';
}

describe.each([
  ['Koa 2', Koa2],
  ['Koa 3', Koa3],
] as const)('%s', (_name, Koa) => {
  it('takes the middleware first and runs the rest of the app inside the request span', async () => {
    const app = new Koa();
    app.use(koaTracing({ serviceName: 'shop api' }));
    app.use(async (context) => {
      context.body = await work();
    });
    expect((await get(await listen(app))).body).toBe('done');
    const [request] = await ended('HTTP');
    expect(parentIdOf(otel.span('work'))).toBe(request?.spanContext().spanId);
  });

  it("the natural adapter, awaiting Express's middleware and then next(), leaves the request span empty", async () => {
    const express = middleware({ serviceName: 'shop api' });
    const app = new Koa();
    app.use(async (context, next) => {
      await new Promise<void>((resolve) => express(context.req, context.res, () => resolve()));
      await next();
    });
    app.use(async (context) => {
      context.body = await work();
    });
    await get(await listen(app));
    const [request] = await ended('HTTP');
    // next() ran after the await, in the context the adapter was called in: the work starts a trace of its own.
    expect(parentIdOf(otel.span('work'))).toBeUndefined();
    expect(otel.span('work').spanContext().traceId).not.toBe(request?.spanContext().traceId);
  });
});
