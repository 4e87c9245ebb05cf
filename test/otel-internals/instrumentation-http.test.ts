// httpServerSpanIn against the real @opentelemetry/instrumentation-http of this run's line (0.223 on 2.x, 0.301 on
// 3.x): inside a request handler, the RPC metadata it leaves in the active context names its own SERVER span.
import { context, SpanKind, type Span } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerHttpInstrumentation } from '../support/http-instrumentation.js';
import { httpServerSpanIn, spanScopeName } from '../../src/otel-internals/index.js';
import { setupOtel, type OtelHarness } from '../support/otel.js';
import { get, listen } from '../http/loopback.js';

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

it("OTEL_RPC_METADATA_KEY: instrumentation-http's server span is found in its request handler's context", async () => {
  let found: Span | undefined;
  const server = await listen((_req, res) => {
    found = httpServerSpanIn(context.active());
    res.end('ok');
  });
  const reply = await get(server.url);
  await server.close();
  expect(reply.status).toBe(200);
  for (let i = 0; i < 100 && otel.spans().length < 2; i++) await new Promise((r) => setTimeout(r, 5));
  const serverSpan = otel.spans().find((s) => s.kind === SpanKind.SERVER);
  expect(serverSpan).toBeDefined();
  expect(
    found?.spanContext().spanId,
    'otel-internals OTEL_RPC_METADATA_KEY: instrumentation-http no longer leaves { type: "http", span } under ' +
      "core's RPC_METADATA key; update src/otel-internals/index.ts",
  ).toBe(serverSpan?.spanContext().spanId);
  expect(spanScopeName(found!)).toBe('@opentelemetry/instrumentation-http');
});
