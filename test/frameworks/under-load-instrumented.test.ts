// The same 200 concurrent connections (load.ts) with the frameworks' OpenTelemetry instrumentation on:
// @opentelemetry/instrumentation-http for every server, @fastify/otel's plugin registered after tomograph's
// (as the README says), @opentelemetry/instrumentation-koa patching Koa. Their spans may stand between the caller
// and the request span and between it and the handler's spans; nothing else may, and nothing may start a trace.
import { createRequire } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KoaInstrumentation } from '@opentelemetry/instrumentation-koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastifyTracing } from 'tomograph/fastify';
import { get } from '../http/loopback.js';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';
import { fastifyFramework, koaFramework, type FastifyFactory, type Framework, type KoaClass } from './apps.js';
import { CONNECTIONS, loadAndCheck, openDatabase, workRoute, type Database } from './load.js';

const HTTP_SCOPE = '@opentelemetry/instrumentation-http';
const require = createRequire(import.meta.url);

let otel: OtelHarness;
let database: Database;
let unregister: () => void;
const fastifyOtel = new FastifyOtelInstrumentation();
interface Instrumented {
  framework: Framework;
  instrumentation: string[];
  plugins: unknown[];
  /** The spans the instrumentation puts between the facade span and the request span, and above the request span. */
  paths: { handlerPath: string[]; callerPath: string[] };
}
const frameworks: Instrumented[] = [];
// @fastify/otel: its request span and the handler's span (named after the route handler) under tomograph's
// request span, which is under the HTTP server span. instrumentation-koa: a span per middleware, the one around
// tomograph's middleware above the request span, the router's below it.
const fastifyPaths = { handlerPath: ['handler - handler', 'request'], callerPath: ['GET /work'] };
const koaPaths = {
  handlerPath: ['middleware - anonymous'],
  callerPath: ['middleware - tomographKoaMiddleware', 'GET'],
};

beforeAll(() => {
  otel = setupOtel();
  const koa = new KoaInstrumentation();
  // The test's client sends each caller's traceparent itself: no client spans, no header of the instrumentation's.
  unregister = registerInstrumentations({
    instrumentations: [new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true }), koa, fastifyOtel],
  });
  // Loaded after registration, as an app preloading its OpenTelemetry setup would load them.
  require('node:http');
  const Koa3 = require('koa') as KoaClass;
  // Koa 2 is installed as 'koa-2', a name the require hook does not know: the instrumentation's own patch for the
  // 'koa' module is applied to it by hand.
  const Koa2 = require('koa-2') as KoaClass;
  for (const definition of koa.getModuleDefinitions())
    definition.patch?.(Koa2, (require('koa-2/package.json') as { version: string }).version);
  const fastifyScope = '@fastify/otel';
  const koaScope = '@opentelemetry/instrumentation-koa';
  frameworks.push(
    {
      framework: fastifyFramework('Fastify 4', require('fastify-4') as FastifyFactory),
      instrumentation: [HTTP_SCOPE, fastifyScope],
      plugins: [fastifyOtel.plugin()],
      paths: fastifyPaths,
    },
    {
      framework: fastifyFramework('Fastify 5', require('fastify') as FastifyFactory),
      instrumentation: [HTTP_SCOPE, fastifyScope],
      plugins: [fastifyOtel.plugin()],
      paths: fastifyPaths,
    },
    { framework: koaFramework('Koa 2', Koa2), instrumentation: [HTTP_SCOPE, koaScope], plugins: [], paths: koaPaths },
    { framework: koaFramework('Koa 3', Koa3), instrumentation: [HTTP_SCOPE, koaScope], plugins: [], paths: koaPaths },
  );
  database = openDatabase();
});
afterAll(async () => {
  unregister();
  await database.close();
  await otel.teardown();
});

describe.each(['Fastify 4', 'Fastify 5', 'Koa 2', 'Koa 3'])('%s with its OpenTelemetry instrumentation', (name) => {
  it(`keeps each of ${CONNECTIONS} concurrent requests in its caller's trace, the request span under the server span and the handler's spans under it`, async () => {
    const { framework, instrumentation, plugins, paths } = frameworks.find((f) => f.framework.name === name)!;
    const app = await framework.serve([workRoute(database.db)], {
      tracing: { serviceName: 'shop api' },
      fastifyPlugins: plugins,
    });
    try {
      // Named HTTP (the default): @fastify/otel names its own span 'request'.
      const result = await loadAndCheck(app, otel, { requestName: 'HTTP', instrumentation });
      expect({ handlerPath: result.handlerPath, callerPath: result.callerPath }).toEqual(paths);
      // The instrumentation did trace the requests: each trace has its server span and the framework's spans.
      const scopes = new Set(otel.spans().map((s) => s.instrumentationScope.name));
      expect([...scopes].sort()).toEqual(expect.arrayContaining(instrumentation));
      expect(otel.spans().filter((s) => s.instrumentationScope.name === HTTP_SCOPE)).toHaveLength(CONNECTIONS);
    } finally {
      await app.close();
    }
  });
});

describe("@fastify/otel registered before tomograph's plugin", () => {
  it("is reported once, as the handler's spans then hang beside the request span, under @fastify/otel's", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const app = (require('fastify') as () => import('fastify').FastifyInstance)();
    try {
      await app.register(fastifyOtel.plugin());
      await app.register(fastifyTracing({ serviceName: 'shop api' }));
      await app.register(fastifyTracing({ serviceName: 'shop api' }));
      app.get('/work', workRoute(database.db).handle as never);
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      otel.reset();
      expect((await get(`${url}/work?n=1`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const spans = otel.spans();
      const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
      const ancestors: string[] = [];
      for (let s = spans.find((x) => x.name === 'facade work'); s !== undefined; s = byId.get(parentIdOf(s) ?? ''))
        ancestors.push(s.name);
      expect(ancestors).not.toContain('HTTP');
      expect(ancestors).toContain('request');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => (w as Error & { code?: string }).code)).toEqual(['TOMOGRAPH_FASTIFY_PLUGIN_ORDER']);
      expect(warnings[0]?.message).toContain("Register tomograph's plugin first");
    } finally {
      process.off('warning', onWarning);
      await app.close();
    }
  });
});
