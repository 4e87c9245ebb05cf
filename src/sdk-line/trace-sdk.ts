// The trace SDK of the app's line, behind one small surface: make a provider, a batch or a simple processor, a
// sampler. The 2.x line spells these `new BasicTracerProvider(...)` and `new BatchSpanProcessor(exporter, config)`
// (sdk-trace-base); the 3.x line `new TracerProvider(...)` and `new BatchSpanProcessor({ exporter, ...config })`
// (sdk-trace, also published on the 2.x line from 2.9). Whichever is installed is used as it is.
import type { Sampler } from '@opentelemetry/api';
import { apiLine, type OtelLine } from './api-line.js';
import { hasPeer, loadPeer } from './peers.js';
import type { SdkResource, SdkSpanExporter, SdkSpanProcessor, SdkTracerProvider } from './types.js';

/** How spans are queued before an exporter, in the words both lines use. */
export interface BatchConfig {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
}

/** Span limits, in the words both lines use. */
export interface SpanLimits {
  attributeValueLengthLimit?: number;
  attributeCountLimit?: number;
  linkCountLimit?: number;
  eventCountLimit?: number;
  attributePerEventCountLimit?: number;
  attributePerLinkCountLimit?: number;
}

export interface ProviderOptions {
  resource: SdkResource;
  spanProcessors: SdkSpanProcessor[];
  sampler?: Sampler;
  spanLimits?: SpanLimits;
}

/** The samplers of the SDK's specification, which both lines export under the same names. */
export interface SdkSamplers {
  AlwaysOnSampler: new () => Sampler;
  AlwaysOffSampler: new () => Sampler;
  TraceIdRatioBasedSampler: new (ratio?: number) => Sampler;
  ParentBasedSampler: new (config: { root: Sampler }) => Sampler;
}

export interface TraceSdk {
  readonly line: OtelLine;
  /** The package the classes came from. */
  readonly packageName: '@opentelemetry/sdk-trace-base' | '@opentelemetry/sdk-trace';
  createProvider(options: ProviderOptions): SdkTracerProvider;
  batchProcessor(exporter: SdkSpanExporter, config: BatchConfig): SdkSpanProcessor;
  simpleProcessor(exporter: SdkSpanExporter): SdkSpanProcessor;
  readonly samplers: SdkSamplers;
}

type Ctor<T> = new (...args: never[]) => T;
interface TraceModule extends SdkSamplers {
  BasicTracerProvider?: Ctor<SdkTracerProvider>;
  TracerProvider?: Ctor<SdkTracerProvider>;
  BatchSpanProcessor: Ctor<SdkSpanProcessor>;
  SimpleSpanProcessor: Ctor<SdkSpanProcessor>;
}

let cached: TraceSdk | undefined;

function fromSdkTraceBase(module: TraceModule): TraceSdk {
  const Provider = module.BasicTracerProvider as unknown as new (options: ProviderOptions) => SdkTracerProvider;
  const Batch = module.BatchSpanProcessor as unknown as new (
    exporter: SdkSpanExporter,
    config: BatchConfig,
  ) => SdkSpanProcessor;
  const Simple = module.SimpleSpanProcessor as unknown as new (exporter: SdkSpanExporter) => SdkSpanProcessor;
  return {
    line: '2.x',
    packageName: '@opentelemetry/sdk-trace-base',
    createProvider: (options) => new Provider(options),
    batchProcessor: (exporter, config) => new Batch(exporter, config),
    simpleProcessor: (exporter) => new Simple(exporter),
    samplers: module,
  };
}

function fromSdkTrace(module: TraceModule, line: OtelLine): TraceSdk {
  const Provider = module.TracerProvider as unknown as new (options: ProviderOptions) => SdkTracerProvider;
  const Batch = module.BatchSpanProcessor as unknown as new (
    options: BatchConfig & { exporter: SdkSpanExporter },
  ) => SdkSpanProcessor;
  const Simple = module.SimpleSpanProcessor as unknown as new (options: {
    exporter: SdkSpanExporter;
  }) => SdkSpanProcessor;
  return {
    line,
    packageName: '@opentelemetry/sdk-trace',
    createProvider: (options) => new Provider(options),
    batchProcessor: (exporter, config) => new Batch({ exporter, ...config }),
    simpleProcessor: (exporter) => new Simple({ exporter }),
    samplers: module,
  };
}

/**
 * The trace SDK for the app's line: sdk-trace 3.x under API 1.10; under API 1.9, sdk-trace-base 2.x when it is
 * installed (what most 2.x apps have), else sdk-trace 2.9+. Throws TomographError('MISSING_PACKAGE') naming the
 * package to install when neither is.
 */
export function traceSdk(why: string): TraceSdk {
  if (cached !== undefined) return cached;
  const line = apiLine();
  if (line === '2.x' && hasPeer('@opentelemetry/sdk-trace-base')) {
    cached = fromSdkTraceBase(loadPeer<TraceModule>('@opentelemetry/sdk-trace-base', why));
  } else {
    // On the 2.x line sdk-trace alone also serves; with neither installed, the error names the line's usual package.
    if (line === '2.x' && !hasPeer('@opentelemetry/sdk-trace')) loadPeer('@opentelemetry/sdk-trace-base', why);
    cached = fromSdkTrace(loadPeer<TraceModule>('@opentelemetry/sdk-trace', why), line);
  }
  return cached;
}
