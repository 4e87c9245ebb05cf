// Reading finished spans the same way under SDK 1.x and 2.x: the few fields whose shape differs between them.
import type { Attributes, HrTime } from '@opentelemetry/api';

/** The parts of a finished span (ReadableSpan of SDK 1.x or 2.x) that tomograph's exporters read. */
export interface FinishedSpan {
  name: string;
  kind?: number;
  spanContext(): { traceId: string; spanId: string };
  startTime: HrTime;
  endTime: HrTime;
  duration?: HrTime;
  attributes: Attributes;
  events: ReadonlyArray<{ name: string; time: HrTime; attributes?: Attributes }>;
  status?: { code: number; message?: string };
  resource?: { attributes?: Attributes; getRawAttributes?: () => unknown };
  /** SDK 2.x. */
  parentSpanContext?: { spanId: string; isRemote?: boolean };
  /** SDK 1.x. */
  parentSpanId?: string;
}

/** Milliseconds since the epoch of an OTel HrTime `[seconds, nanoseconds]`. */
export function hrTimeToMillis(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** The parent span id (SDK 2.x `parentSpanContext.spanId`, SDK 1.x `parentSpanId`), or undefined for a root. */
export function parentSpanIdOf(span: FinishedSpan): string | undefined {
  return span.parentSpanContext?.spanId ?? span.parentSpanId ?? undefined;
}

/** True when the span's parent lives in another process (known under SDK 2.x only). */
export function hasRemoteParent(span: FinishedSpan): boolean {
  return span.parentSpanContext?.isRemote === true;
}

/** The service a span belongs to: its own `service.name` attribute, else its resource's, else `fallback`. */
export function serviceNameOf(span: FinishedSpan, fallback: string): string {
  const own = span.attributes['service.name'];
  if (typeof own === 'string' && own.length > 0) return own;
  const fromResource = span.resource?.attributes?.['service.name'];
  if (typeof fromResource === 'string' && fromResource.length > 0) return fromResource;
  return fallback;
}
