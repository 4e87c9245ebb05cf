// The SDK shapes tomograph works with, declared here by shape so that its types fit the classes of either line
// (sdk-trace-base 2.x, sdk-trace 3.x) and tomograph's declarations name no SDK package the app may not have.
import type { Context, HrTime, Sampler, SpanContext, TracerProvider } from '@opentelemetry/api';

/** What an exporter reports for one export call (OpenTelemetry's ExportResult). */
export interface ExportResult {
  code: ExportResultCode;
  error?: Error;
}

/** OpenTelemetry's ExportResultCode values, which the specification fixes: 0 success, 1 failure. */
export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;
export type ExportResultCode = (typeof ExportResultCode)[keyof typeof ExportResultCode];

/** A finished span as both lines' `ReadableSpan` has it: what the stock Zipkin transform reads. */
export interface SdkReadableSpan {
  readonly name: string;
  readonly kind: number;
  spanContext(): SpanContext;
  readonly parentSpanContext?: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: { code: number; message?: string };
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly links: readonly unknown[];
  readonly events: ReadonlyArray<{ name: string; time: HrTime; attributes?: Readonly<Record<string, unknown>> }>;
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly resource: SdkResource;
  readonly instrumentationScope: { name: string; version?: string; schemaUrl?: string };
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

/** A resource as both lines have it. */
export interface SdkResource {
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly asyncAttributesPending?: boolean;
}

/** A span exporter as both lines' processors call it. */
export interface SdkSpanExporter {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each line passes its own ReadableSpan
  export(spans: any[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** A span processor as both lines' providers call it. */
export interface SdkSpanProcessor {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each line passes its own Span
  onStart(span: any, parentContext: Context): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each line passes its own ReadableSpan
  onEnd(span: any): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A tracer provider of either line: BasicTracerProvider (2.x) or TracerProvider (3.x). */
export interface SdkTracerProvider extends TracerProvider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

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
