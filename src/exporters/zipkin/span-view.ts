// What the stock ZipkinExporter is given to map: each finished span seen through a view that fixes what Zipkin
// would otherwise get wrong. Pure: no I/O, the span itself is never changed.
import type { HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * A start time rounded to the nearest whole microsecond. The stock exporter sends `timestamp` unrounded, and a
 * real Zipkin refuses the whole batch with 400 "Expected a long" when one start time has a fraction.
 */
export function toWholeMicroseconds(time: HrTime): HrTime {
  const micros = Math.round(time[1] / 1000);
  return micros >= 1_000_000 ? [time[0] + 1, 0] : [time[0], micros * 1000];
}

/**
 * The resource as the exporter should see it for this span: without the keys the span sets itself. The stock
 * exporter writes resource attributes over span attributes in the tags, so a span recorded for `test server`
 * would otherwise be tagged with the process's own `service.name`.
 */
function resourceUnder(span: ReadableSpan): Resource {
  const resource = span.resource;
  const shadowed = Object.keys(resource.attributes).filter((key) => Object.hasOwn(span.attributes, key));
  if (shadowed.length === 0) return resource;
  const attributes = { ...resource.attributes };
  for (const key of shadowed) delete attributes[key];
  return Object.create(resource, { attributes: { value: attributes, enumerable: true }, }) as Resource;
}

/** The span as tomograph sends it to Zipkin: start on a whole microsecond, its own attributes first in the tags. */
export function toZipkinExportView(span: ReadableSpan): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: toWholeMicroseconds(span.startTime),
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: resourceUnder(span),
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
