// configure() sets up OpenTelemetry for the facade with the chosen backends, refuses to fight an existing
// setup, and gives everything back on shutdown.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { context, propagation, trace } from '@opentelemetry/api';
import { newProvider, PROVIDER_CLASS_NAME, TRACE_PACKAGE } from '../support/sdk-line.js';
import { afterEach, describe, expect, it } from 'vitest';
import { configure, start, stop, TomographError, type Tomograph } from 'tomograph';
import { legacyClientServer } from '../../examples/legacy-client-server.js';

let handle: Tomograph | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

describe('configure with the log backend', () => {
  it('prints the legacy client/server trace as a waterfall, once, when the root span ends', () => {
    const out: string[] = [];
    handle = configure({ backends: ['log'], log: { write: (text) => out.push(text), barWidth: 10 } });
    legacyClientServer();
    expect(out).toHaveLength(1);
    const lines = out[0]!.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^trace [0-9a-f]{32} · 2 spans · 2 services · /);
    expect(lines[1]).toMatch(/^ {2}test client {2}client request {5}\|█+ *\| +[\d.]+ ms$/);
    expect(lines[2]).toBe('               # tomograph.endpoint.address="openstack1", tomograph.endpoint.port=0');
    expect(lines[3]).toMatch(/^ {2}test server {4}server response {2}\| *█+ *\| +[\d.]+ ms$/);
    expect(lines[4]).toMatch(/^ {17}· this is an annotation {2}@ [\d.]+ ms$/);
    expect(lines[5]).toBe(
      '                 # tomograph.endpoint.address="openstack1", tomograph.endpoint.port=80, this is a string="foo", this is an int=42, this is a double=3.14159',
    );
    expect(lines).toHaveLength(6);
  });

  it('makes facade spans visible to OTel-native code through the registered context manager', () => {
    handle = configure({ backends: ['log'], log: { write: () => undefined } });
    start('svc', 'outer');
    expect(trace.getActiveSpan()).toBeDefined();
    const native = trace.getTracer('native').startSpan('inner');
    expect((native as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId).toBe(
      trace.getActiveSpan()!.spanContext().spanId,
    );
    native.end();
    stop('outer');
  });
});

describe('configure with B3 propagation', () => {
  it('registers the formats asked for, so outgoing headers carry B3 single and multi beside nothing else', () => {
    handle = configure({ backends: ['log'], log: { write: () => undefined }, propagation: ['b3', 'b3multi'] });
    start('svc', 'client');
    const headers: Record<string, string> = {};
    propagation.inject(context.active(), headers);
    const { traceId, spanId } = trace.getActiveSpan()!.spanContext();
    stop('client');
    expect(headers).toEqual({
      b3: `${traceId}-${spanId}-1`,
      'x-b3-traceid': traceId,
      'x-b3-spanid': spanId,
      'x-b3-sampled': '1',
    });
  });

  it('rejects an unknown format before registering anything', () => {
    expect(() => configure({ backends: ['log'], propagation: ['jaeger' as never] })).toThrow(
      /unknown propagation format "jaeger"/,
    );
    expect(propagation.fields()).toEqual([]);
    handle = configure({ backends: ['log'], log: { write: () => undefined } });
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
  });
});

describe('configure with the removed statsd pacing options', () => {
  it('throws INVALID_OPTION naming the replacement, before registering anything', () => {
    let caught: unknown;
    try {
      configure({ backends: ['statsd'], statsd: { datagramsPerTurn: 4, turnIntervalMillis: 1 } as never });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TomographError);
    expect(caught).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/'datagramsPerTurn' was removed.*'burstBytes'.*'maxBytesPerSecond'/),
    });
    expect(propagation.fields()).toEqual([]);
    handle = configure({ backends: ['statsd'], statsd: { burstBytes: 4 * 1432, maxBytesPerSecond: 4 * 1432 * 1000 } });
  });
});

describe('configure with no propagation', () => {
  it('registers no propagator when asked for none', () => {
    handle = configure({ backends: ['log'], log: { write: () => undefined }, propagation: [] });
    expect(propagation.fields()).toEqual([]);
  });
});

describe('configure alongside other setups', () => {
  it('refuses a second configure() until the first is shut down, then allows it', async () => {
    handle = configure({ backends: ['log'], log: { write: () => undefined } });
    expect(() => configure({ backends: ['log'] })).toThrow(/already called; call shutdown\(\)/);
    await handle.shutdown();
    handle = configure({ backends: ['log'], log: { write: () => undefined } });
    // The line's own class (BasicTracerProvider or TracerProvider). Checked against the package's CommonJS build,
    // which tomograph loads through require(): a dual-build SDK (3.x) gives this ES-module file the other object.
    expect(handle.provider).toBeInstanceOf(createRequire(import.meta.url)(TRACE_PACKAGE)[PROVIDER_CLASS_NAME]);
  });

  it('refuses to replace a tracer provider the user registered, with a typed error', () => {
    trace.setGlobalTracerProvider(newProvider());
    try {
      let caught: unknown;
      try {
        configure({ backends: ['log'] });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TomographError);
      expect((caught as TomographError).code).toBe('ALREADY_CONFIGURED');
    } finally {
      trace.disable();
    }
  });

  it('unregisters what it registered on shutdown, and shutdown is idempotent', async () => {
    handle = configure({ backends: ['log'], log: { write: () => undefined } });
    const first = handle.shutdown();
    expect(handle.shutdown()).toBe(first);
    await first;
    start('svc', 'after shutdown');
    expect(trace.getActiveSpan()?.isRecording() ?? false).toBe(false);
    stop('after shutdown');
    expect(propagation.fields()).toEqual([]);
    expect(context.active().getValue(Symbol.for('x'))).toBeUndefined();
  });
});

describe('the host process', () => {
  it('exits on its own after spans are sent, without shutdown(), and prints nothing it was not asked to', () => {
    const file = fileURLToPath(new URL('../fixtures/configure-exits.ts', import.meta.url));
    const started = Date.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', file], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('done\n');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
