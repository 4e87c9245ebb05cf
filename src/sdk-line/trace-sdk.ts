// The trace SDK of the app's line, behind one small surface: make a provider, a batch or a simple processor, a
// sampler. The 2.x line spells these `new BasicTracerProvider(...)` and `new BatchSpanProcessor(exporter, config)`
// (sdk-trace-base); the 3.x line `new TracerProvider(...)` and `new BatchSpanProcessor({ exporter, ...config })`
// (sdk-trace, also published on the 2.x line from 2.9). Whichever is installed is used as it is; those
// constructor shapes are read in otel-internals, with a test each.
import type { Sampler } from '@opentelemetry/api';
import { apiLine, type OtelLine } from './api-line.js';
import { hasPeer, loadPeer } from './peers.js';
import { sdkTraceBaseConstructors, sdkTraceConstructors, type TraceSdkConstructors } from '../otel-internals/index.js';

export type { BatchConfig, ProviderOptions, SpanLimits } from './types.js';

/** The samplers of the SDK's specification, which both lines export under the same names. */
export interface SdkSamplers {
  AlwaysOnSampler: new () => Sampler;
  AlwaysOffSampler: new () => Sampler;
  TraceIdRatioBasedSampler: new (ratio?: number) => Sampler;
  ParentBasedSampler: new (config: { root: Sampler }) => Sampler;
}

/** A trace SDK package as loaded: its samplers and its other exports, read by otel-internals. */
type TraceModule = SdkSamplers & Record<string, unknown>;

export interface TraceSdk extends TraceSdkConstructors {
  readonly line: OtelLine;
  /** The package the classes came from. */
  readonly packageName: '@opentelemetry/sdk-trace-base' | '@opentelemetry/sdk-trace';
  readonly samplers: SdkSamplers;
}

let cached: TraceSdk | undefined;

/**
 * The trace SDK for the app's line: sdk-trace 3.x under API 1.10; under API 1.9, sdk-trace-base 2.x when it is
 * installed (what most 2.x apps have), else sdk-trace 2.9+. Throws TomographError('MISSING_PACKAGE') naming the
 * package to install when neither is.
 */
export function traceSdk(why: string): TraceSdk {
  if (cached !== undefined) return cached;
  const line = apiLine();
  if (line === '2.x' && hasPeer('@opentelemetry/sdk-trace-base')) {
    const module = loadPeer<TraceModule>('@opentelemetry/sdk-trace-base', why);
    cached = {
      line: '2.x',
      packageName: '@opentelemetry/sdk-trace-base',
      ...sdkTraceBaseConstructors(module),
      samplers: module,
    };
  } else {
    // On the 2.x line sdk-trace alone also serves; with neither installed, the error names the line's usual package.
    if (line === '2.x' && !hasPeer('@opentelemetry/sdk-trace')) loadPeer('@opentelemetry/sdk-trace-base', why);
    const module = loadPeer<TraceModule>('@opentelemetry/sdk-trace', why);
    cached = { line, packageName: '@opentelemetry/sdk-trace', ...sdkTraceConstructors(module), samplers: module };
  }
  return cached;
}
