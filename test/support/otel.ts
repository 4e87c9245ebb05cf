// A real OpenTelemetry SDK registered globally for a test, SDK 1.30 or the run's own line (2.x or 3.x), with an
// in-memory
// exporter to read finished spans back. Each test file runs in its own process (vitest forks pool).
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { spanParentId } from '../../src/otel-internals/index.js';
import { LINE, newProvider, simpleProcessor, newMemoryExporter, type ReadableSpan } from './sdk-line.js';
import { AsyncLocalStorageContextManager as AsyncLocalStorageContextManager1 } from 'context-async-hooks-1';
import {
  BasicTracerProvider as BasicTracerProvider1,
  InMemorySpanExporter as InMemorySpanExporter1,
  SimpleSpanProcessor as SimpleSpanProcessor1,
} from 'sdk-trace-base-1';

/**
 * '1.x' is SDK 1.30 (kept as an alias package on either run); the other is the run's own line, through
 * test/support/sdk-line.ts: sdk-trace-base 2.x beside API 1.9, sdk-trace 3.x beside API 1.10 (the Node 24 run of
 * .ci/run). Named by its major version, so that test titles say which SDK ran.
 */
export type SdkLine = '1.x' | '2.x' | '3.x';
/** The run's own line. */
export const OWN_LINE: SdkLine = LINE;
export const SDK_LINES: SdkLine[] = ['1.x', OWN_LINE];

export interface OtelHarness {
  /** A tracer for OTel-native code in the test. */
  tracer: Tracer;
  /** Finished spans so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** The finished span named `name` (fails the test when there is not exactly one). */
  span(name: string): ReadableSpan;
  reset(): void;
  teardown(): Promise<void>;
}

/** The parent span id of a finished span, under either SDK line. */
export function parentIdOf(span: ReadableSpan): string | undefined {
  return spanParentId(span);
}

export function setupOtel(line: SdkLine = OWN_LINE): OtelHarness {
  let exporter: { getFinishedSpans(): ReadableSpan[]; reset(): void };
  let shutdown: () => Promise<void>;
  if (line !== '1.x') {
    const memory = newMemoryExporter();
    const provider = newProvider({ spanProcessors: [simpleProcessor(memory)] });
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    exporter = memory;
    shutdown = () => provider.shutdown();
  } else {
    const memory = new InMemorySpanExporter1();
    const provider = new BasicTracerProvider1();
    provider.addSpanProcessor(new SimpleSpanProcessor1(memory));
    trace.setGlobalTracerProvider(provider as never);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager1().enable());
    exporter = memory as never;
    shutdown = () => provider.shutdown();
  }
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const spans = () => exporter.getFinishedSpans();
  return {
    tracer: trace.getTracer('native-code'),
    spans,
    span(name) {
      const found = spans().filter((s) => s.name === name);
      if (found.length !== 1) throw new Error(`expected one finished span '${name}', found ${found.length}`);
      return found[0]!;
    },
    reset: () => exporter.reset(),
    async teardown() {
      await shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
