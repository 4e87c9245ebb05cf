// The reads of SDK span shapes and trace SDK constructors that src/otel-internals makes, against the trace SDK of
// this run's line (sdk-trace-base 2.x or sdk-trace 3.x) and SDK 1.30 (kept as an alias package), live spans and
// finished ones alike.
import { createRequire } from 'node:module';
import { ROOT_CONTEXT, trace, TraceFlags, type Span, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider as BasicTracerProvider1 } from 'sdk-trace-base-1';
import { expect, it } from 'vitest';
import {
  hasRemoteParent,
  isSpanEnded,
  sdkTraceBaseConstructors,
  sdkTraceConstructors,
  spanParentId,
  spanScopeName,
  spanScopeOf,
} from '../../src/otel-internals/index.js';
import { LINE, newMemoryExporter, newProvider, TRACE_PACKAGE } from '../support/sdk-line.js';

const moved = (read: string, version: string, what: string): string =>
  `otel-internals ${read}: ${what} in the installed trace SDK ${version}; update src/otel-internals/index.ts`;

const TRACERS = [
  ['1.x', () => new BasicTracerProvider1().getTracer('probe-scope', '1.2.3') as unknown as Tracer],
  [LINE, () => newProvider().getTracer('probe-scope', '1.2.3')],
] as const;

it.each(TRACERS)('isSpanEnded: a %s span says false while open and true once ended', (version, tracer) => {
  const span = tracer().startSpan('probe');
  expect(isSpanEnded(span), moved('isSpanEnded', version, '`ended` is not false on an open span')).toBe(false);
  span.end();
  expect(isSpanEnded(span), moved('isSpanEnded', version, '`ended` is not true on an ended span')).toBe(true);
});

it.each(TRACERS)('spanScopeOf/spanScopeName: a %s span carries its tracer name and version', (version, tracer) => {
  const span = tracer().startSpan('probe');
  expect(spanScopeName(span), moved('spanScopeOf', version, 'instrumentationScope/instrumentationLibrary moved')).toBe(
    'probe-scope',
  );
  expect(spanScopeOf(span)?.version, moved('spanScopeOf', version, 'the scope has no version')).toBe('1.2.3');
  span.end();
});

it.each(TRACERS)("spanParentId: a %s child span carries its parent's id", (version, tracer) => {
  const t = tracer();
  const parent: Span = t.startSpan('parent');
  const child = t.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent));
  expect(spanParentId(child), moved('spanParentId', version, 'parentSpanContext/parentSpanId moved')).toBe(
    parent.spanContext().spanId,
  );
  expect(spanParentId(parent), moved('spanParentId', version, 'a root span reads as having a parent')).toBeUndefined();
  child.end();
  parent.end();
});

it(`hasRemoteParent: a ${LINE} span under a remote parent says so (SDK 1.x does not)`, () => {
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '463ac35c9f6413ad48485a3953bb6124',
    spanId: 'a2fb4a1d1a96d312',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  const [, tracer] = TRACERS[1];
  const span = tracer().startSpan('probe', {}, remote);
  expect(hasRemoteParent(span), moved('hasRemoteParent', LINE, 'parentSpanContext.isRemote moved')).toBe(true);
  const [, tracer1] = TRACERS[0];
  expect(hasRemoteParent(tracer1().startSpan('probe', {}, remote))).toBe(false);
  span.end();
});

const requireHere = createRequire(import.meta.url);

it(`sdkTraceBaseConstructors: sdk-trace-base builds a provider and processors that export on 2.x; 3.x has no such package`, async () => {
  if (LINE === '3.x') {
    // The 3.x line replaced it with @opentelemetry/sdk-trace: tomograph must never need it there.
    expect(() => requireHere('@opentelemetry/sdk-trace-base')).toThrow(/Cannot find module/);
    return;
  }
  const sdk = sdkTraceBaseConstructors(requireHere('@opentelemetry/sdk-trace-base') as Record<string, unknown>);
  await exportsOneSpan(sdk, 'sdkTraceBaseConstructors', '2.x');
});

it(`sdkTraceConstructors: sdk-trace ${LINE} builds a provider and processors that export`, async () => {
  const sdk = sdkTraceConstructors(requireHere('@opentelemetry/sdk-trace') as Record<string, unknown>);
  await exportsOneSpan(sdk, 'sdkTraceConstructors', LINE);
  expect(TRACE_PACKAGE === '@opentelemetry/sdk-trace').toBe(LINE === '3.x');
});

async function exportsOneSpan(
  sdk: ReturnType<typeof sdkTraceConstructors>,
  read: string,
  version: string,
): Promise<void> {
  const simple = newMemoryExporter();
  const batched = newMemoryExporter();
  const provider = sdk.createProvider({
    resource: undefined as never,
    spanProcessors: [
      sdk.simpleProcessor(simple),
      sdk.batchProcessor(batched, {
        maxQueueSize: 10,
        maxExportBatchSize: 2,
        scheduledDelayMillis: 1,
        exportTimeoutMillis: 1000,
      }),
    ],
  });
  provider.getTracer('probe').startSpan('probe').end();
  await provider.forceFlush();
  expect(
    simple.getFinishedSpans().map((s) => s.name),
    moved(read, version, 'the simple processor was not built from its arguments'),
  ).toEqual(['probe']);
  expect(
    batched.getFinishedSpans().map((s) => s.name),
    moved(read, version, 'the batch processor was not built from its arguments'),
  ).toEqual(['probe']);
  await provider.shutdown();
}
