// The trace SDK of the line this test run is on, with the line's own classes: sdk-trace-base 2.x (BasicTracerProvider,
// positional processors) beside API 1.9, sdk-trace 3.x (TracerProvider, one options object) beside API 1.10.
// .ci/run runs the whole suite once per line; tests build providers and processors only through here.
import { context } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';

export type { ReadableSpan, SpanExporter, SpanProcessor };

/** '2.x': API 1.9 + SDK 2.x; '3.x': API 1.10 + SDK 3.x (API 1.10 added `context.attach`). */
export const LINE: '2.x' | '3.x' = typeof (context as { attach?: unknown }).attach === 'function' ? '3.x' : '2.x';

/** The package the line's trace classes come from. */
export const TRACE_PACKAGE = LINE === '3.x' ? '@opentelemetry/sdk-trace' : '@opentelemetry/sdk-trace-base';

type Ctor = new (...args: never[]) => object;
// A specifier held in a variable: the other line's package is not installed, and must not be type-checked for.
const sdk = (await import(TRACE_PACKAGE)) as Record<string, Ctor>;

export interface ProviderOptions {
  spanProcessors?: SpanProcessor[];
  resource?: unknown;
  sampler?: unknown;
}

export interface LineProvider {
  getTracer(name: string, version?: string): import('@opentelemetry/api').Tracer;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The name of the line's provider class, as its package exports it. */
export const PROVIDER_CLASS_NAME = LINE === '3.x' ? 'TracerProvider' : 'BasicTracerProvider';

/** The line's provider class (BasicTracerProvider or TracerProvider). */
export const ProviderClass = sdk[PROVIDER_CLASS_NAME] as Ctor;

export function newProvider(options: ProviderOptions = {}): LineProvider {
  return new (ProviderClass as unknown as new (options: ProviderOptions) => LineProvider)(options);
}

export function simpleProcessor(exporter: SpanExporter): SpanProcessor {
  const Simple = sdk.SimpleSpanProcessor as unknown as new (arg: unknown) => SpanProcessor;
  return LINE === '3.x' ? new Simple({ exporter }) : new Simple(exporter);
}

export function batchProcessor(exporter: SpanExporter, config: Record<string, number> = {}): SpanProcessor {
  const Batch = sdk.BatchSpanProcessor as unknown as new (arg: unknown, config?: unknown) => SpanProcessor;
  return LINE === '3.x' ? new Batch({ exporter, ...config }) : new Batch(exporter, config);
}

export interface MemoryExporter extends SpanExporter {
  getFinishedSpans(): ReadableSpan[];
  reset(): void;
}

export function newMemoryExporter(): MemoryExporter {
  return new (sdk.InMemorySpanExporter as unknown as new () => MemoryExporter)();
}

/** Any other class the line's trace package exports under the same name on both lines (samplers, for instance). */
export function lineClass<T>(name: string): T {
  return sdk[name] as unknown as T;
}

/** The line's TraceIdRatioBasedSampler. */
export const TraceIdRatioBasedSampler =
  lineClass<new (ratio: number) => import('@opentelemetry/api').Sampler>('TraceIdRatioBasedSampler');
