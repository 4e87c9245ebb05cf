// configure()'s options: defaults, environment fallbacks, and a clear typed error for each bad value.
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config/options.js';
import { TomographError } from 'tomograph';

describe('defaults', () => {
  it('fills in the legacy sender bounds and the default backends', () => {
    const resolved = resolveOptions(undefined, {});
    expect(resolved).toEqual({
      serviceName: 'tomograph',
      backends: ['zipkin', 'statsd'],
      zipkin: {},
      otlp: {},
      statsd: {},
      propagation: ['w3c'],
      log: {},
      batch: {
        maxQueueSize: 50_000,
        maxExportBatchSize: 1000,
        scheduledDelayMillis: 1000,
        exportTimeoutMillis: 30_000,
      },
      strict: false,
      shutdownTimeoutMillis: 5000,
    });
  });

  it('reads the service name and the backends from the environment', () => {
    const resolved = resolveOptions({}, { OTEL_SERVICE_NAME: 'billing', TOMOGRAPH_BACKENDS: 'log, statsd,log' });
    expect(resolved.serviceName).toBe('billing');
    expect(resolved.backends).toEqual(['log', 'statsd']);
  });

  it('reads the statsd endpoint and the propagators from the environment', () => {
    const resolved = resolveOptions(
      {},
      {
        TOMOGRAPH_STATSD_HOST: 'statsd.internal',
        TOMOGRAPH_STATSD_PORT: '9125',
        OTEL_PROPAGATORS: 'tracecontext,baggage,b3multi',
      },
    );
    expect(resolved.statsd).toEqual({ host: 'statsd.internal', port: 9125 });
    expect(resolved.propagation).toEqual(['w3c', 'b3multi']);
  });

  it('shrinks the default export batch to a smaller queue given alone', () => {
    expect(resolveOptions({ batch: { maxQueueSize: 10 } }, {}).batch).toMatchObject({
      maxQueueSize: 10,
      maxExportBatchSize: 10,
    });
  });

  it('registers no propagator for OTEL_PROPAGATORS=none', () => {
    expect(resolveOptions({}, { OTEL_PROPAGATORS: 'none' }).propagation).toEqual([]);
  });

  it('prefers options over the environment', () => {
    const resolved = resolveOptions(
      { serviceName: 'a', backends: ['log'] },
      { OTEL_SERVICE_NAME: 'b', TOMOGRAPH_BACKENDS: 'zipkin' },
    );
    expect([resolved.serviceName, resolved.backends]).toEqual(['a', ['log']]);
  });
});

describe('unknown propagators', () => {
  it('OTEL_PROPAGATORS=tracecontext,baggage,xray: xray is warned about through diag and skipped, as OTel SDKs do', () => {
    const warnings: string[] = [];
    const record = (...args: unknown[]): void => void warnings.push(args.map(String).join(' '));
    diag.setLogger(
      { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    try {
      expect(resolveOptions({}, { OTEL_PROPAGATORS: 'tracecontext,baggage,xray' }).propagation).toEqual(['w3c']);
      expect(resolveOptions({}, { OTEL_PROPAGATORS: 'jaeger' }).propagation).toEqual(['w3c']);
    } finally {
      diag.disable();
    }
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/OTEL_PROPAGATORS names "xray", which tomograph does not know .*; skipped/);
  });
});

describe('bad environment', () => {
  it.each([
    [{ TOMOGRAPH_STATSD_PORT: 'eighty' }, /TOMOGRAPH_STATSD_PORT must be a port number from 1 to 65535, got "eighty"/],
    [{ TOMOGRAPH_BACKENDS: 'log,kafka' }, /unknown backend "kafka" \(in TOMOGRAPH_BACKENDS\)/],
  ])('%j is rejected with INVALID_OPTION', (env, message) => {
    expect(() => resolveOptions({}, env)).toThrow(message);
  });
});

describe('bad options', () => {
  it.each([
    [{ backends: ['zipkin', 'kafka'] }, /unknown backend "kafka"; expected one of 'zipkin', 'otlp', 'statsd', 'log'/],
    [{ backends: 'log' }, /backends must be an array/],
    [{ serviceName: '' }, /serviceName must be a non-empty string/],
    [{ batch: { maxQueueSize: 0 } }, /batch.maxQueueSize must be a whole number from 1 to \d+, got 0/],
    [
      { batch: { scheduledDelayMillis: 3e9 } },
      /batch.scheduledDelayMillis must be a whole number from 1 to 2147483647, got 3000000000/,
    ],
    [{ shutdownTimeoutMillis: 2 ** 31 }, /shutdownTimeoutMillis must be a whole number from 1 to 2147483647/],
    [{ batch: { maxQueueSize: 10, maxExportBatchSize: 20 } }, /maxExportBatchSize must not exceed/],
    [{ batch: { scheduledDelayMillis: 1.5 } }, /scheduledDelayMillis must be a whole number/],
    [{ zipkin: { url: 'ftp://x' } }, /zipkin.url must be an http or https URL/],
    [{ zipkin: { url: 'not a url' } }, /zipkin.url must be an http or https URL/],
    [{ zipkin: 'http://x' }, /zipkin must be an object/],
    [{ strict: 'yes' }, /strict must be a boolean/],
    [{ shutdownTimeoutMillis: -1 }, /shutdownTimeoutMillis must be a whole number/],
    [42, /options must be an object/],
    [{ propagation: 'b3' }, /propagation must be an array/],
    [{ backend: ['log'] }, /unknown option backend; expected one of serviceName, backends, /],
    [{ zipkin: { urll: 'http://x' } }, /unknown option zipkin.urll; expected one of url, headers/],
    [{ batch: { maxQueSize: 5 } }, /unknown option batch.maxQueSize; expected one of maxQueueSize, /],
  ])('%j is rejected with INVALID_OPTION', (options, message) => {
    let caught: unknown;
    try {
      resolveOptions(options as never, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TomographError);
    expect((caught as TomographError).code).toBe('INVALID_OPTION');
    expect((caught as TomographError).message).toMatch(message);
  });
});
