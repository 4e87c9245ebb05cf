// configure({ backends: ['otlp'] }) end to end: the facade and OTel-native spans through the real SDK and the stock
// OTLP exporter, over real HTTP, into a receiver double that checks each payload against the official definitions.
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { annotate, configure, start, stop, tag, type OtlpProtocol, type Tomograph } from 'tomograph';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

let receiver: OtlpReceiver;
let handle: Tomograph | undefined;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.stop());
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

/** A span of 'web' around a span of 'billing', a note and a tag, and one OTel-native child. */
function traceTwoServices(): void {
  start('web', 'checkout');
  start('billing', 'charge');
  annotate('card accepted');
  tag('amount', 42);
  trace.getTracer('native').startActiveSpan('native child', (span) => {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'declined later' });
    span.end();
  });
  stop('charge');
  stop('checkout');
}

describe.each<OtlpProtocol>(['http/protobuf', 'http/json'])("configure({ backends: ['otlp'] }) over %s", (protocol) => {
  it('delivers valid payloads in which each facade span is under its own service and OTel-native spans under the process', async () => {
    const before = receiver.spans.length;
    handle = configure({
      serviceName: 'process',
      backends: ['otlp'],
      otlp: { url: receiver.tracesUrl, protocol },
      batch: { scheduledDelayMillis: 20 },
    });
    traceTwoServices();
    await handle.forceFlush();
    const spans = (await receiver.waitForSpans(before + 3)).slice(before);
    expect(receiver.requests.every((r) => r.status === 200 && r.errors.length === 0)).toBe(true);
    expect(receiver.requests.at(-1)?.contentType).toBe(
      protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
    );

    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    const checkout = byName.checkout!;
    const charge = byName.charge!;
    const native = byName['native child']!;
    expect([checkout.service, charge.service, native.service]).toEqual(['web', 'billing', 'process']);
    // One trace, parent links intact across the regrouping into resources.
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(checkout.parentSpanId).toBeUndefined();
    expect(charge.parentSpanId).toBe(checkout.spanId);
    expect(native.parentSpanId).toBe(charge.spanId);
    // The note is an event, the tag an attribute; the native span's status comes through as OTLP's enum.
    expect(charge.events.map((e) => e.name)).toEqual(['card accepted']);
    expect(charge.attributes.amount).toBe(42n);
    expect(native.status).toEqual({ code: 2, message: 'declined later' });
    // Every other resource attribute is kept on the per-service resources.
    expect(charge.resource['telemetry.sdk.language']).toBe(native.resource['telemetry.sdk.language']);
  });

  it('sends one resource per service in a batch, however the services interleave', async () => {
    const before = receiver.requests.length;
    handle = configure({
      serviceName: 'process',
      backends: ['otlp'],
      otlp: { url: receiver.tracesUrl, protocol },
      batch: { scheduledDelayMillis: 5000 },
    });
    for (let i = 0; i < 6; i++) {
      start(i % 2 === 0 ? 'a' : 'b', `s${i}`);
      stop(`s${i}`);
    }
    await handle.forceFlush();
    const posts = receiver.requests.slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ status: 200, spanCount: 6 });
    const last = receiver.spans.slice(-6);
    expect(last.map((s) => s.service)).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
  });
});

describe('the OTLP backend and the OTEL_EXPORTER_OTLP_* variables', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('OTEL_EXPORTER_OTLP_')) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('takes the endpoint, protocol, headers and timeout from the environment when no option sets them', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.baseUrl;
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-api-key=secret,x-tenant=blue';
    process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '2000';
    const before = receiver.requests.length;
    handle = configure({ backends: ['otlp'], batch: { scheduledDelayMillis: 20 } });
    start('env', 'from env');
    stop('from env');
    await handle.forceFlush();
    const post = receiver.requests.slice(before).at(-1);
    expect(post).toMatchObject({ path: '/v1/traces', contentType: 'application/json', status: 200, spanCount: 1 });
    expect(post?.headers['x-api-key']).toBe('secret');
    expect(post?.headers['x-tenant']).toBe('blue');
  });

  it('lets options win over the environment, and the traces-specific variables over the general ones', async () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:9';
    process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = 'http/json';
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
    const before = receiver.requests.length;
    handle = configure({
      backends: ['otlp'],
      otlp: { url: receiver.tracesUrl, headers: { 'x-from': 'option' } },
      batch: { scheduledDelayMillis: 20 },
    });
    start('opt', 'from options');
    stop('from options');
    await handle.forceFlush();
    const post = receiver.requests.slice(before).at(-1);
    expect(post).toMatchObject({ contentType: 'application/json', status: 200 });
    expect(post?.headers['x-from']).toBe('option');
  });
});

describe('configure() refuses bad OTLP settings before registering anything', () => {
  afterEach(() => {
    delete process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
    delete process.env.OTEL_EXPORTER_OTLP_TIMEOUT;
  });

  it.each([
    [
      { backends: ['otlp'], otlp: { bogus: 1 } },
      {},
      /unknown option otlp\.bogus; expected one of url, protocol, headers, timeoutMillis/,
    ],
    [
      { backends: ['otlp'], otlp: { protocol: 'grpc' } },
      {},
      /'protocol' must be 'http\/protobuf' or 'http\/json', got "grpc"/,
    ],
    [{ backends: ['otlp'] }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /got "grpc" \(in OTEL_EXPORTER_OTLP_PROTOCOL\)/],
    [
      { backends: ['otlp'] },
      { OTEL_EXPORTER_OTLP_TIMEOUT: '10s' },
      /OTEL_EXPORTER_OTLP_TIMEOUT must be a whole number of milliseconds/,
    ],
  ])('%j with %j', (options, env, message) => {
    Object.assign(process.env, env);
    expect(() => configure(options as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) }),
    );
    expect(trace.getTracerProvider().constructor.name).toBe('ProxyTracerProvider');
  });
});
