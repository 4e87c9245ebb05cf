// Runs the corpus's scenarios through a real pipeline: an OpenTelemetry SDK (1.30 or 2.x) registered globally with
// the W3C propagator, whose spans go both to a StatsdSpanExporter sending to a real statsd daemon and to memory, so
// that a test can compare the statsd lines and the trace shape of the legacy code and of its rewrite.
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { newMemoryExporter, newProvider, simpleProcessor, type ReadableSpan } from '../support/sdk-line.js';
import { AsyncLocalStorageContextManager as AsyncLocalStorageContextManager1 } from 'context-async-hooks-1';
import {
  BasicTracerProvider as BasicTracerProvider1,
  InMemorySpanExporter as InMemorySpanExporter1,
  SimpleSpanProcessor as SimpleSpanProcessor1,
} from 'sdk-trace-base-1';
import { afterAll, beforeAll } from 'vitest';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { parentIdOf, type SdkLine } from '../support/otel.js';
import { useStatsdDaemon } from '../support/statsd-daemon.js';

/** What one run of scenarios produced. */
export interface Recording {
  /** Statsd lines as the daemon received them, in order, timer values masked (they are wall-clock times). */
  readonly lines: string[];
  /** One line per finished span, in the order they ended: service/name ← parent, notes, endpoint, status. */
  readonly spans: string[];
}

export type Scenario = () => unknown;

function describeSpans(spans: readonly ReadableSpan[]): string[] {
  const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
  return spans.map((span) => {
    const parentId = parentIdOf(span);
    const parent = parentId === undefined ? '(root)' : (byId.get(parentId)?.name ?? '(remote)');
    const a = span.attributes;
    const notes = span.events.map((event) => event.name).join(', ');
    return `${String(a['service.name'])}/${span.name} ← ${parent} [${notes}] ${String(a['tomograph.endpoint.address'])}:${String(a['tomograph.endpoint.port'])} status=${span.status.code}`;
  });
}

/** Starts a daemon and registers an SDK of `line` for the test file; `record` runs scenarios and reads back. */
export function useCorpusPipeline(line: SdkLine): { record(scenarios: readonly Scenario[]): Promise<Recording> } {
  const daemon = useStatsdDaemon();
  let memory: { getFinishedSpans(): ReadableSpan[]; reset(): void };
  let flush: () => Promise<void>;
  let shutdown: () => Promise<void>;
  beforeAll(() => {
    // What configure() registers by default; the rewritten getTraceInfo() and start(…, token) go through it.
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const statsd = new StatsdSpanExporter({ host: daemon().host, port: daemon().udpPort });
    if (line !== '1.x') {
      const inMemory = newMemoryExporter();
      const provider = newProvider({ spanProcessors: [simpleProcessor(statsd), simpleProcessor(inMemory)] });
      trace.setGlobalTracerProvider(provider);
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      [memory, flush, shutdown] = [inMemory, () => provider.forceFlush(), () => provider.shutdown()];
    } else {
      const inMemory = new InMemorySpanExporter1();
      const provider = new BasicTracerProvider1();
      provider.addSpanProcessor(new SimpleSpanProcessor1(statsd));
      provider.addSpanProcessor(new SimpleSpanProcessor1(inMemory));
      trace.setGlobalTracerProvider(provider as never);
      context.setGlobalContextManager(new AsyncLocalStorageContextManager1().enable());
      [memory, flush, shutdown] = [inMemory as never, () => provider.forceFlush(), () => provider.shutdown()];
    }
  });
  afterAll(async () => {
    await shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  return {
    async record(scenarios) {
      memory.reset();
      await daemon().clear();
      // Each scenario in a fresh context, as separate requests would be.
      for (const scenario of scenarios) await context.with(ROOT_CONTEXT, async () => scenario());
      await flush();
      // UDP gives no end marker: wait until no line has arrived for 300 ms.
      let seen = -1;
      while (daemon().lines().length !== seen) {
        seen = daemon().lines().length;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return {
        lines: daemon()
          .lines()
          .map((text) => text.replace(/:\d+(?:\.\d+)?\|ms$/, ':<ms>|ms')),
        spans: describeSpans(memory.getFinishedSpans()),
      };
    },
  };
}
