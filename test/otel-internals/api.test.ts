// The reads of @opentelemetry/api internals in src/otel-internals, each against the API installed in this run
// (1.9 on the 2.x line, 1.10 on the 3.x line). A failure here names the read that a new API release moved.
import { context, ROOT_CONTEXT, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterEach, expect, it } from 'vitest';
import { apiAttach, apiContextManager, otelApiGlobals, OTEL_SPAN_KEY } from '../../src/otel-internals/index.js';
import { LINE, newProvider } from '../support/sdk-line.js';

const moved = (read: string, what: string): string =>
  `otel-internals ${read}: ${what} in the installed @opentelemetry/api; update src/otel-internals/index.ts`;

afterEach(() => {
  trace.disable();
  context.disable();
});

it('OTEL_API_GLOBALS: the API keeps its registered globals, with its version, under that symbol', () => {
  const provider = newProvider();
  trace.setGlobalTracerProvider(provider);
  const manager = new AsyncLocalStorageContextManager();
  context.setGlobalContextManager(manager);
  const globals = otelApiGlobals();
  expect(
    globals,
    moved('OTEL_API_GLOBALS', 'no globals object under Symbol.for("opentelemetry.js.api.1")'),
  ).toBeDefined();
  expect(globals?.version, moved('OTEL_API_GLOBALS', 'no version')).toMatch(/^1\.\d+\.\d+/);
  expect(globals?.context, moved('OTEL_API_GLOBALS', 'the registered context manager is not under `context`')).toBe(
    manager,
  );
  // The trace global is the API's ProxyTracerProvider around the registered one.
  expect(globals?.trace, moved('OTEL_API_GLOBALS', 'the tracer provider is not under `trace`')).toBe(
    trace.getTracerProvider(),
  );
  trace.disable();
  context.disable();
  expect(otelApiGlobals()?.trace, moved('OTEL_API_GLOBALS', 'disable() does not clear `trace`')).toBeUndefined();
  expect(otelApiGlobals()?.context, moved('OTEL_API_GLOBALS', 'disable() does not clear `context`')).toBeUndefined();
});

it('apiContextManager: ContextAPI#_getContextManager() returns the registered manager', () => {
  const manager = new AsyncLocalStorageContextManager();
  context.setGlobalContextManager(manager);
  expect(apiContextManager(), moved('apiContextManager', 'context._getContextManager() is gone or changed')).toBe(
    manager,
  );
});

it(`apiAttach: context.attach() is ${LINE === '3.x' ? 'public on API 1.10 and activates a context' : 'absent on API 1.9'}`, () => {
  const attach = apiAttach();
  if (LINE === '2.x') {
    expect(attach, moved('apiAttach', 'API 1.9 has a context.attach() now: the line detection would read 3.x')).toBe(
      undefined,
    );
    return;
  }
  expect(attach, moved('apiAttach', 'context.attach() is gone')).toBeTypeOf('function');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const key = Symbol('probe');
  const ctx = ROOT_CONTEXT.setValue(key, 'attached');
  const token = attach!(ctx) as { dispose?: () => void } | undefined;
  expect(context.active().getValue(key), moved('apiAttach', 'context.attach() does not activate')).toBe('attached');
  token?.dispose?.();
});

it("OTEL_SPAN_KEY: trace.setSpan and trace.getSpan use the API's SPAN_KEY", () => {
  const tracer: Tracer = newProvider().getTracer('probe');
  const span = tracer.startSpan('probe');
  const ctx = trace.setSpan(ROOT_CONTEXT, span);
  expect(ctx.getValue(OTEL_SPAN_KEY), moved('OTEL_SPAN_KEY', 'trace.setSpan() stores the span under another key')).toBe(
    span,
  );
  expect(
    trace.getSpan(ROOT_CONTEXT.setValue(OTEL_SPAN_KEY, span)),
    moved('OTEL_SPAN_KEY', 'trace.getSpan() reads another key'),
  ).toBe(span);
  span.end();
});
