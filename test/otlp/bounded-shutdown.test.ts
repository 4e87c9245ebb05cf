// The OTLP backend when the receiver misbehaves: shutdown() and forceFlush() settle within the bound, never reject,
// and every span that did not arrive is counted and reported.
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { newProvider } from '../support/sdk-line.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOtlpBackend, type OtlpProtocol } from 'tomograph';
import { startOtlpReceiver, type OtlpReceiver, type ReceiverMode } from '../support/otlp-receiver.js';

let receiver: OtlpReceiver;
const warnings: string[] = [];

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const record = (message: string) => warnings.push(message);
  diag.setLogger(
    { error: record, warn: record, info: () => undefined, debug: () => undefined, verbose: () => undefined },
    DiagLogLevel.WARN,
  );
});
afterAll(async () => {
  diag.disable();
  await receiver.stop();
});
afterEach(async () => {
  warnings.length = 0;
  await receiver.setMode('accept');
});

const TIMEOUT = 1000;

/** Ends `count` spans through a backend in front of the receiver, then times its shutdown. */
async function shutdownAgainst(mode: ReceiverMode, protocol: OtlpProtocol, count = 5) {
  await receiver.setMode(mode);
  const backend = createOtlpBackend({
    url: receiver.tracesUrl,
    protocol,
    timeoutMillis: TIMEOUT,
    scheduledDelayMillis: 60_000,
  });
  const provider = newProvider({
    resource: resourceFromAttributes({ 'service.name': 'process' }),
    spanProcessors: [backend],
  });
  const tracer = provider.getTracer('test');
  for (let i = 0; i < count; i++) tracer.startSpan(`span ${i}`).end();
  const started = performance.now();
  await provider.shutdown();
  return { ms: performance.now() - started, dropped: backend.droppedSpanCount, stats: backend.getStats() };
}

describe.each<OtlpProtocol>(['http/protobuf', 'http/json'])('OTLP shutdown over %s', (protocol) => {
  it.each<[ReceiverMode, string]>([
    ['refuse', 'a receiver that refuses the connection'],
    ['fail', 'a receiver that answers 500'],
    ['unavailable', 'a receiver that answers 503 (retryable)'],
    ['hang', 'a receiver that reads the request and never answers'],
  ])('settles within the timeout against %s (%s), and counts the spans as dropped', async (mode) => {
    const result = await shutdownAgainst(mode, protocol);
    expect(result.ms).toBeLessThan(TIMEOUT + 300);
    expect(result.dropped).toBe(5);
    expect(result.stats).toEqual({ droppedSpans: 5 });
    expect(warnings).toContainEqual(
      expect.stringMatching(/^tomograph: 5 span\(s\) not sent over OTLP \(.+\); 5 dropped in all$/),
    );
    console.log(`${protocol} ${mode}: shutdown ${Math.round(result.ms)} ms`);
  });

  it('drops nothing against a receiver that accepts', async () => {
    const before = receiver.spans.length;
    const result = await shutdownAgainst('accept', protocol);
    expect(result.dropped).toBe(0);
    expect(receiver.spans.length - before).toBe(5);
    expect(warnings, warnings.join('\n')).toEqual([]);
  });
});

describe('OTLP backend options', () => {
  it.each([
    [{ protocol: 'grpc' }, /'protocol' must be 'http\/protobuf' or 'http\/json', got "grpc"; for gRPC/],
    [{ url: 'localhost:4318' }, /'url' must be an http or https URL/],
    [{ timeoutMillis: 0 }, /'timeoutMillis' must be an integer from 1 to 2147483647, got 0/],
    [{ headers: { 'x-key': 1 } }, /'headers.x-key' must be a string, got number/],
    [{ endpoint: 'http://x' }, /unknown option 'endpoint'; expected one of url, protocol, headers, timeoutMillis/],
    [{ maxQueueSize: 10, maxExportBatchSize: 20 }, /'maxExportBatchSize' \(20\) must not exceed 'maxQueueSize' \(10\)/],
  ])('refuses %j with INVALID_OPTION', (options, message) => {
    expect(() => createOtlpBackend(options as never)).toThrow(
      expect.objectContaining({
        name: 'TomographError',
        code: 'INVALID_OPTION',
        message: expect.stringMatching(message),
      }),
    );
  });
});
