// Misuse of the facade never throws into the app by default: it is reported through diag and the call does what
// it safely can. In strict mode the same misuse throws a typed TomographError before anything changes.
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotate, isTomographError, setStrictMode, start, stop, tag, TomographError } from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { parentIdOf, SDK_LINES, setupOtel, type OtelHarness } from '../support/otel.js';

describe.each(SDK_LINES)('with the OTel SDK %s', (line) => {
  let otel: OtelHarness;
  let diagnostics: DiagCapture;
  beforeEach(() => {
    otel = setupOtel(line);
    diagnostics = captureDiag();
  });
  afterEach(async () => {
    setStrictMode(false);
    diagnostics.restore();
    await otel.teardown();
  });

  describe('stop with the wrong name', () => {
    it('a deeper name ends only that span: the spans above stay open and active until their own stop()', () => {
      start('svc', 'a');
      start('svc', 'b');
      start('svc', 'c');
      stop('a');
      expect(otel.spans().map((s) => s.name)).toEqual(['a']);
      expect(trace.getActiveSpan()).toBeDefined();
      stop('c');
      stop('b');
      expect(otel.spans().map((s) => s.name)).toEqual(['a', 'c', 'b']);
      for (const name of ['a', 'b', 'c']) expect(otel.span(name).attributes['tomograph.not_stopped']).toBeUndefined();
      expect(parentIdOf(otel.span('b'))).toBe(otel.span('a').spanContext().spanId);
      expect(trace.getActiveSpan()).toBeUndefined();
      expect(diagnostics.warnings()).toEqual([]);
    });

    it('an unknown name ends nothing and reports it', () => {
      start('svc', 'a');
      stop('nope');
      expect(otel.spans()).toHaveLength(0);
      expect(diagnostics.warnings("stop('nope')")).toHaveLength(1);
      stop('a');
      expect(otel.spans().map((s) => s.name)).toEqual(['a']);
    });

    it('stop with nothing started reports it and throws nothing', () => {
      expect(() => stop('ghost')).not.toThrow();
      expect(diagnostics.warnings("stop('ghost'): no span started")).toHaveLength(1);
    });
  });

  describe('notes and tags with nothing active', () => {
    it('annotate records nothing, as the original sent nothing for it, and is reported', () => {
      annotate('lonely note');
      expect(otel.spans()).toEqual([]);
      expect(diagnostics.warnings("annotate('lonely note') with no span active: not recorded")).toHaveLength(1);
    });

    it('tag records nothing either, and is reported', () => {
      tag('k', 'v');
      expect(otel.spans()).toEqual([]);
      expect(diagnostics.warnings("tag('k') with no span active: not recorded")).toHaveLength(1);
    });
  });

  describe('bad arguments', () => {
    it('a tag value of the wrong type is recorded as a string and reported', () => {
      start('svc', 's');
      tag('obj', { a: 1 } as never);
      tag('undef', undefined as never);
      stop('s');
      expect(otel.span('s').attributes.obj).toBe('[object Object]');
      expect(otel.span('s').attributes.undef).toBe('undefined');
      expect(diagnostics.warnings("tag('obj')")).toHaveLength(1);
    });

    it('a tag value whose text cannot be made is recorded as its type, and nothing throws', () => {
      start('svc', 's');
      const hostile = {
        toString: () => {
          throw new Error('no text');
        },
      };
      expect(() => tag('bare', Object.create(null) as never)).not.toThrow();
      expect(() => tag('hostile', hostile as never)).not.toThrow();
      expect(() => annotate(hostile as never)).not.toThrow();
      stop('s');
      expect(otel.span('s').attributes).toMatchObject({ bare: '[object]', hostile: '[object]' });
      expect(otel.span('s').events.map((e) => e.name)).toEqual(['[object]']);
    });

    it('an invalid token is ignored and reported, and the span starts a new trace', () => {
      start('svc', 'server', undefined, undefined, '00-00000000000000000000000000000000-0000000000000000-01');
      stop('server');
      expect(parentIdOf(otel.span('server'))).toBeUndefined();
      expect(diagnostics.warnings('not a W3C traceparent')).toHaveLength(1);
    });

    it('a bad port is ignored and reported', () => {
      start('svc', 's', 'host', 70000);
      stop('s');
      start('svc', 't', 'host', '80a');
      stop('t');
      expect([otel.span('s'), otel.span('t')].map((s) => s.attributes['tomograph.endpoint.port'])).toEqual([0, 0]);
      expect(diagnostics.warnings('port must be an integer')).toHaveLength(2);
    });
  });

  describe('a module-level start()', () => {
    it('is active for code after it and stops cleanly', () => {
      start('svc', 'module level');
      expect(trace.getActiveSpan()).toBeDefined();
      otel.tracer.startSpan('native child').end();
      stop('module level');
      expect(parentIdOf(otel.span('native child'))).toBe(otel.span('module level').spanContext().spanId);
      expect(trace.getActiveSpan()).toBeUndefined();
    });
  });

  describe('strict mode', () => {
    const thrown = (fn: () => void): TomographError => {
      try {
        fn();
      } catch (error) {
        if (isTomographError(error)) return error;
        throw error;
      }
      throw new Error('expected a TomographError');
    };

    it('throws a typed error for each misuse, before anything is ended', () => {
      setStrictMode(true);
      start('svc', 'a');
      start('svc', 'b');
      expect(thrown(() => stop('nope')).code).toBe('STOP_UNKNOWN_NAME');
      expect(otel.spans()).toHaveLength(0);
      expect(thrown(() => tag('k', [] as never)).code).toBe('INVALID_ARGUMENT');
      // Stopping a span under one still open is no misuse: the open one may be a running helper's.
      expect(() => stop('a')).not.toThrow();
      stop('b');
      expect(thrown(() => stop('a')).code).toBe('STOP_WITHOUT_SPAN');
      expect(thrown(() => annotate('x')).code).toBe('NO_ACTIVE_SPAN');
      expect(thrown(() => start('svc', 's', undefined, undefined, 'garbage')).code).toBe('INVALID_TOKEN');
      expect(thrown(() => stop('a'))).toBeInstanceOf(TomographError);
    });
  });
});
