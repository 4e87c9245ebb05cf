// 200 concurrent connections to each framework traced by tomograph alone (no instrumentation), every span's
// parent checked (load.ts).
import Fastify5 from 'fastify';
import Fastify4 from 'fastify-4';
import Koa3 from 'koa';
import Koa2 from 'koa-2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOtel, type OtelHarness } from '../support/otel.js';
import { fastifyFramework, koaFramework } from './apps.js';
import { CONNECTIONS, loadAndCheck, openDatabase, workRoute, type Database } from './load.js';

let otel: OtelHarness;
let database: Database;
beforeAll(() => {
  otel = setupOtel();
  database = openDatabase();
});
afterAll(async () => {
  await database.close();
  await otel.teardown();
});

describe.each([
  fastifyFramework('Fastify 4', Fastify4),
  fastifyFramework('Fastify 5', Fastify5),
  koaFramework('Koa 2', Koa2),
  koaFramework('Koa 3', Koa3),
])('$name without instrumentation', (framework) => {
  it(`keeps each of ${CONNECTIONS} concurrent requests in its caller's trace, with the handler's facade, native and SQL spans under its request span`, async () => {
    const app = await framework.serve([workRoute(database.db)], {
      tracing: { serviceName: 'shop api', name: 'request' },
    });
    try {
      const { spansPerRequest } = await loadAndCheck(app, otel, { requestName: 'request', instrumentation: [] });
      // The request span, the facade span, the native span, the statement span: nothing else.
      expect(spansPerRequest).toBe(4);
    } finally {
      await app.close();
    }
  });
});
