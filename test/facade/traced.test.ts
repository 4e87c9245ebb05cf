// traced() as a standard decorator and as a wrapper: sync and async functions, throws and rejections, the
// legacy default service name (the class name).
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { traced, TomographError } from 'tomograph';
import { parentIdOf, SDK_LINES, setupOtel, type OtelHarness } from '../support/otel.js';

describe.each(SDK_LINES)('with the OTel SDK %s', (line) => {
  let otel: OtelHarness;
  beforeEach(() => {
    otel = setupOtel(line);
  });
  afterEach(() => otel.teardown());

  class Inventory {
    count = 3;

    @traced(null, 'count items')
    countItems(extra: number): number {
      return this.count + extra;
    }

    @traced('inventory', 'load', { address: '10.1.2.3', port: 8080 })
    async load(): Promise<string> {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return 'loaded';
    }

    @traced('inventory', 'explode')
    explode(): never {
      throw new RangeError('boom');
    }
  }

  describe('traced as a standard decorator', () => {
    it('spans a sync method, keeps `this` and the result, and names the service after the class when null', () => {
      expect(new Inventory().countItems(2)).toBe(5);
      const span = otel.span('count items');
      expect(span.attributes['service.name']).toBe('Inventory');
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('ends an async method span when its promise settles, with the endpoint given', async () => {
      const pending = new Inventory().load();
      expect(otel.spans()).toHaveLength(0);
      expect(await pending).toBe('loaded');
      const span = otel.span('load');
      expect(span.attributes).toMatchObject({
        'service.name': 'inventory',
        'tomograph.endpoint.address': '10.1.2.3',
        'tomograph.endpoint.port': 8080,
      });
      const millis = span.duration[0] * 1e3 + span.duration[1] / 1e6;
      expect(millis).toBeGreaterThanOrEqual(1);
    });

    it('rethrows a sync throw unchanged and marks the span ERROR with the exception', () => {
      let caught: unknown;
      try {
        new Inventory().explode();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RangeError);
      expect((caught as Error).message).toBe('boom');
      const span = otel.span('explode');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
      expect(
        span.events.map((e) => [e.name, e.attributes?.['exception.type'], e.attributes?.['exception.message']]),
      ).toEqual([['exception', 'RangeError', 'boom']]);
    });
  });

  describe('traced as a wrapper', () => {
    it('returns the very promise the function returned (a native one), and its rejection reaches the caller unchanged', async () => {
      const failure = new Error('nope');
      let returned: Promise<never> | undefined;
      const fn = traced(
        'svc',
        'rejects',
      )(() => {
        returned = Promise.reject(failure);
        return returned;
      });
      const result = fn();
      expect(result).toBe(returned);
      await expect(result).rejects.toBe(failure);
      await new Promise((resolve) => setImmediate(resolve));
      expect(otel.span('rejects').status).toEqual({ code: SpanStatusCode.ERROR, message: 'nope' });
    });

    it('records a non-Error rejection as text', async () => {
      const fn = traced(
        'svc',
        'rejects text',
      )(async () => {
        throw 'plain string';
      });
      await expect(fn()).rejects.toBe('plain string');
      expect(otel.span('rejects text').status).toEqual({ code: SpanStatusCode.ERROR, message: 'plain string' });
    });

    it('keeps the function name and length, and makes the span active inside it', () => {
      function compute(a: number, b: number) {
        return { sum: a + b, active: trace.getActiveSpan() };
      }
      const wrapped = traced('svc', 'compute')(compute);
      expect(wrapped.name).toBe('compute');
      expect(wrapped.length).toBe(2);
      const { sum, active } = wrapped(1, 2);
      expect(sum).toBe(3);
      expect(active?.spanContext().spanId).toBe(otel.span('compute').spanContext().spanId);
      expect(trace.getActiveSpan()).toBeUndefined();
    });

    it('nests under the span active at the call', () => {
      const inner = traced('svc', 'inner')(() => undefined);
      otel.tracer.startActiveSpan('native', (span) => {
        inner();
        span.end();
      });
      expect(parentIdOf(otel.span('inner'))).toBe(otel.span('native').spanContext().spanId);
    });

    it('rejects bad arguments with a typed error when the decorator is made', () => {
      expect(() => traced('svc', '')).toThrow(TomographError);
      expect(() => traced(42 as never, 'x')).toThrow(/serviceName must be a string or null/);
      expect(() => traced('svc', 'x')(42 as never)).toThrow(/expected a function/);
    });
  });
});
