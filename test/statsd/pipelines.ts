// Real OpenTelemetry pipelines around a StatsdSpanExporter for the statsd tests (the run's own SDK line and 1.30,
// simple and batch
// processors), plus a capture of what `diag` and the console are told.
import { diag, DiagLogLevel, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { newProvider, simpleProcessor, batchProcessor, type SpanProcessor } from '../support/sdk-line.js';
import { Resource as Resource1 } from 'resources-1';
import {
  BasicTracerProvider as BasicTracerProvider1,
  BatchSpanProcessor as BatchSpanProcessor1,
  SimpleSpanProcessor as SimpleSpanProcessor1,
} from 'sdk-trace-base-1';
import { vi } from 'vitest';
import { OWN_LINE, type SdkLine } from '../support/otel.js';
import type { StatsdSpanExporter } from 'tomograph/statsd';

/** The run's own line (2.x, or 3.x in the Node 24 run; see test/support/otel.ts) or SDK 1.30, and a processor. */
export type Pipeline = `${SdkLine} ${'simple' | 'batch'}`;
export const PIPELINES: Pipeline[] = [`${OWN_LINE} simple`, `${OWN_LINE} batch`, '1.x simple', '1.x batch'];

export interface Traced {
  tracer(serviceName: string): Tracer;
  /** Flushes the processor and shuts the provider (and so the exporter) down. */
  shutdown(): Promise<void>;
}

/** A provider of the given SDK line whose one processor feeds `exporter`; one provider per service name. */
export function pipeline(kind: Pipeline, exporter: StatsdSpanExporter): Traced {
  const providers = new Map<
    string,
    { getTracer(name: string): Tracer; shutdown(): Promise<void>; forceFlush(): Promise<void> }
  >();
  const batch = { maxQueueSize: 50_000, maxExportBatchSize: 1000, scheduledDelayMillis: 50 };
  // One processor shared by every provider: shutting it down once shuts the exporter down once. No casts: the
  // exporter fits the SpanExporter type of both SDK lines as it is.
  const sdk1 = kind.startsWith('1.x');
  const simple = kind.endsWith('simple');
  const processor = sdk1
    ? simple
      ? new SimpleSpanProcessor1(exporter)
      : new BatchSpanProcessor1(exporter, batch)
    : simple
      ? simpleProcessor(exporter)
      : batchProcessor(exporter, batch);
  return {
    tracer(serviceName) {
      let provider = providers.get(serviceName);
      if (provider === undefined) {
        const resource = { 'service.name': serviceName };
        if (!sdk1) {
          provider = newProvider({
            resource: resourceFromAttributes(resource),
            spanProcessors: [processor as SpanProcessor],
          });
        } else {
          const p1 = new BasicTracerProvider1({ resource: new Resource1(resource) });
          p1.addSpanProcessor(processor as SimpleSpanProcessor1);
          provider = p1 as never;
        }
        providers.set(serviceName, provider!);
      }
      return provider!.getTracer('native-code');
    },
    async shutdown() {
      await processor.forceFlush();
      await processor.shutdown();
    },
  };
}

export interface HostWatch {
  /** What diag was told at warn level or above. */
  readonly warnings: string[];
  /** Calls to console.* made while watching (telemetry must make none). */
  consoleCalls(): number;
  restore(): void;
}

/** Captures diag warnings and counts console calls, so a test can assert a drop is reported and nothing is printed. */
export function watchHost(): HostWatch {
  const warnings: string[] = [];
  const record = (text: string, ...args: unknown[]): void => {
    warnings.push([text, ...args.map(String)].join(' '));
  };
  diag.setLogger(
    { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const spies = (['log', 'error', 'warn', 'info', 'debug'] as const).map((method) => vi.spyOn(console, method));
  return {
    warnings,
    consoleCalls: () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0),
    restore() {
      diag.disable();
      for (const spy of spies) spy.mockRestore();
    },
  };
}
