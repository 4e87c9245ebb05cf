// Reading finished spans the same way under SDK 1.x and 2.x, for every exporter: the fields whose shape differs
// between the two lines, defensive readers for spans of other SDK versions or hand-made doubles, and the SDK 2.x
// view the stock exporters are given. Pure.
import type { Attributes as OtelAttributes, HrTime, SpanContext } from '@opentelemetry/api';
import type { SdkReadableSpan as ReadableSpan } from '../sdk-line/types.js';
import { ATTR_SERVICE_NAME } from '../attributes.js';
import { spanParentId, spanScopeOf, type InstrumentationScope } from '../otel-internals/index.js';

/** Attributes as read: any values, since a span or resource of another SDK may hold anything. */
export type Attributes = Readonly<Record<string, unknown>>;

/**
 * A finished span as an exporter may be given it. Both SDK 1.x and 2.x `ReadableSpan`s fit it; every field is
 * read defensively (through the readers below), since spans may come from other SDK versions or hand-made doubles.
 */
export interface ExportableSpan {
  readonly name: string;
  readonly kind?: number;
  readonly startTime?: readonly [number, number] | unknown;
  readonly endTime?: readonly [number, number] | unknown;
  readonly duration?: readonly [number, number] | unknown;
  readonly status?: { readonly code?: number } | unknown;
  readonly attributes?: Attributes;
  readonly events?: ReadonlyArray<{ readonly name: string; readonly attributes?: Attributes | undefined }>;
  readonly resource?: { readonly attributes?: Attributes } | unknown;
  /** SDK 2.x. */
  readonly parentSpanContext?: { readonly spanId: string; readonly isRemote?: boolean } | undefined;
  /** SDK 1.x. */
  readonly parentSpanId?: string | undefined;
  /** SDK 2.x. */
  readonly instrumentationScope?: InstrumentationScope | undefined;
  /** SDK 1.x (renamed `instrumentationScope` in 2.x). */
  readonly instrumentationLibrary?: InstrumentationScope | undefined;
}

/** The library that recorded a span. */
export type { InstrumentationScope };

/** A finished span with the fields every SDK 1.x and 2.x span has, as the log exporter reads it directly. */
export interface FinishedSpan extends ExportableSpan {
  spanContext(): { traceId: string; spanId: string };
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration?: HrTime;
  readonly attributes: OtelAttributes;
  readonly events: ReadonlyArray<{ name: string; time: HrTime; attributes?: OtelAttributes }>;
  readonly status?: { code: number; message?: string };
  readonly resource?: { attributes?: OtelAttributes; getRawAttributes?: () => unknown };
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** The `attributes` of a span, resource or event, or an empty object when there are none or they cannot be read. */
export function attributesOf(holder: unknown): Attributes {
  try {
    if (holder !== null && typeof holder === 'object') {
      const attributes = (holder as { attributes?: unknown }).attributes;
      if (attributes !== null && typeof attributes === 'object') return attributes as Attributes;
    }
  } catch {
    // A resource getter that throws (async attributes in odd states) must not lose the span: read it as empty.
  }
  return NO_ATTRIBUTES;
}

/**
 * An attribute value as text: a non-empty string, a finite number or a boolean as itself; a complex value (API
 * 1.10's AnyValue: a map, an array, bytes) as JSON, as OTEP 4485 asks of exporters that cannot carry it natively;
 * otherwise undefined.
 */
export function attributeText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (value !== null && typeof value === 'object') return complexValueJson(value);
  return undefined;
}

/** True for a value the stock exporters would turn into `[object Object]` or lose: a map, an array, bytes. */
export function isComplexValue(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

// Bytes as base64, the form OTLP's JSON encoding gives them.
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return value;
}

/**
 * A complex attribute value (map, array, bytes) as JSON text; arrays of strings, numbers and booleans too, so one
 * value reads the same in statsd, the log and Zipkin. Never throws: a value JSON cannot hold reads as undefined.
 */
export function complexValueJson(value: object): string | undefined {
  try {
    return JSON.stringify(value instanceof Uint8Array ? jsonReplacer('', value) : value, jsonReplacer);
  } catch {
    return undefined;
  }
}

/** The first of the values that reads as text (see {@link attributeText}). Fixed arity: no array per call. */
export function firstText(a: unknown, b?: unknown, c?: unknown, d?: unknown): string | undefined {
  return attributeText(a) ?? attributeText(b) ?? attributeText(c) ?? attributeText(d);
}

/** True for an OTel HrTime `[seconds, nanoseconds]` of finite numbers. */
export function isHrTime(value: unknown): value is readonly [number, number] {
  return Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && Number.isFinite(value[1]);
}

/** Milliseconds since the epoch of an OTel HrTime `[seconds, nanoseconds]`. */
export function hrTimeToMillis(time: readonly [number, number]): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** Milliseconds between start and end: `duration` when it is a valid HrTime, else end − start, else NaN. */
export function durationMillisOf(span: ExportableSpan): number {
  if (isHrTime(span.duration)) return hrTimeToMillis(span.duration);
  if (isHrTime(span.startTime) && isHrTime(span.endTime)) {
    // Subtract seconds and nanoseconds apart so a large epoch does not eat the sub-millisecond digits.
    return (span.endTime[0] - span.startTime[0]) * 1e3 + (span.endTime[1] - span.startTime[1]) / 1e6;
  }
  return Number.NaN;
}

/** The library that recorded the span (see otel-internals' spanScopeOf), or an empty name. */
export function instrumentationScopeOf(span: ExportableSpan): InstrumentationScope {
  return spanScopeOf(span) ?? { name: '' };
}

/**
 * The service a span belongs to: its own `service.name` attribute, else its resource's, else `fallback`. A value
 * counts when it reads as text (see {@link attributeText}).
 */
export function serviceNameOf(span: ExportableSpan, fallback: string): string {
  return serviceNameIn(attributesOf(span), attributesOf(span.resource), fallback);
}

/** {@link serviceNameOf} for a reader that already holds the span's and its resource's attributes. */
export function serviceNameIn(spanAttributes: Attributes, resourceAttributes: Attributes, fallback: string): string {
  return firstText(spanAttributes[ATTR_SERVICE_NAME], resourceAttributes[ATTR_SERVICE_NAME]) ?? fallback;
}

/** The parent's context as SDK 2.x gives it; built from `parentSpanId` for an SDK 1.x span. */
export function parentSpanContextOf(span: ReadableSpan): SpanContext | undefined {
  if (span.parentSpanContext !== undefined) return span.parentSpanContext;
  const parentSpanId = spanParentId(span);
  if (parentSpanId === undefined) return undefined;
  const own = span.spanContext();
  return { traceId: own.traceId, spanId: parentSpanId, traceFlags: own.traceFlags };
}

/**
 * A span of SDK 1.x or 2.x as a plain SDK 2.x ReadableSpan, with `changes` applied: the parent and the
 * instrumentation scope where the stock 2.x exporters look for them. The span itself is never changed.
 */
export function sdk2SpanView(span: ReadableSpan, changes: Partial<ReadableSpan>): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: parentSpanContextOf(span),
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: instrumentationScopeOf(span),
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    ...changes,
  };
}
