// With @opentelemetry/instrumentation-http registered, facade spans and instrumentation spans form one trace:
// facade client span -> instrumentation CLIENT -> instrumentation SERVER -> facade server span -> nested span.
import { SpanKind } from '@opentelemetry/api';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHttpInstrumentation } from '../support/http-instrumentation.js';
import { addTraceInfoHeader, middleware, start, stop } from 'tomograph';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';
import { get, listen } from './loopback.js';

let otel: OtelHarness;
let unregister: () => void;
beforeAll(() => {
  otel = setupOtel();
  unregister = registerHttpInstrumentation();
});
afterAll(async () => {
  unregister();
  await otel.teardown();
});

describe('facade and instrumentation-http in one trace', () => {
  it('parents each span on the one before it, across a real server and client on 127.0.0.1', async () => {
    const app = express();
    app.use(middleware({ serviceName: 'test server', name: 'server request' }));
    app.get('/', (_req, res) => {
      start('test server db', 'query');
      stop('query');
      res.send('ok');
    });
    const server = await listen(app);
    start('test client', 'client call');
    const reply = await get(server.url, addTraceInfoHeader({}));
    stop('client call');
    await server.close();
    expect(reply.status).toBe(200);
    for (let i = 0; i < 100 && otel.spans().length < 5; i++) await new Promise((r) => setTimeout(r, 5));

    const client = otel.span('client call');
    const instrumented = otel
      .spans()
      .filter((s) => s.instrumentationScope.name === '@opentelemetry/instrumentation-http');
    const httpClient = instrumented.find((s) => s.kind === SpanKind.CLIENT);
    const httpServer = instrumented.find((s) => s.kind === SpanKind.SERVER);
    const facadeServer = otel.span('server request');
    const query = otel.span('query');
    expect(instrumented).toHaveLength(2);
    expect(parentIdOf(client)).toBeUndefined();
    expect(parentIdOf(httpClient!)).toBe(client.spanContext().spanId);
    expect(parentIdOf(httpServer!)).toBe(httpClient!.spanContext().spanId);
    expect(parentIdOf(facadeServer)).toBe(httpServer!.spanContext().spanId);
    expect(parentIdOf(query)).toBe(facadeServer.spanContext().spanId);
    expect(new Set(otel.spans().map((s) => s.spanContext().traceId)).size).toBe(1);
  });
});
