// What the stock ZipkinExporter is given to map: each finished span seen through a view that fixes what Zipkin
// would otherwise get wrong. Pure: no I/O, the span itself is never changed.
import type { HrTime } from '@opentelemetry/api';
import type { SdkReadableSpan as ReadableSpan, SdkResource as Resource } from '../../sdk-line/types.js';
import { ATTR_SERVICE_NAME } from '../../attributes.js';
import { complexValueJson, isComplexValue, sdk2SpanView } from '../readable-span.js';
import { hasPendingAttributes } from '../../otel-internals/index.js';

/**
 * A start time rounded to the nearest whole microsecond. The stock exporter sends `timestamp` unrounded, and a
 * real Zipkin refuses the whole batch with 400 "Expected a long" when one start time has a fraction.
 */
export function toWholeMicroseconds(time: HrTime): HrTime {
  const micros = Math.round(time[1] / 1000);
  return micros >= 1_000_000 ? [time[0] + 1, 0] : [time[0], micros * 1000];
}

/**
 * Each resource seen without only its `service.name`: the key every facade span shadows. Resources are shared by
 * all the spans of a provider and do not change once their async attributes settled, so one copy serves them all.
 */
const withoutServiceName = new WeakMap<Resource, Resource>();

function resourceWithout(resource: Resource, keys: readonly string[]): Resource {
  const attributes = { ...resource.attributes };
  for (const key of keys) delete attributes[key];
  return Object.create(resource, { attributes: { value: attributes, enumerable: true } }) as Resource;
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
  // A resource still waiting for async attributes may change: copy it afresh each time, as for any other shadowing.
  if (shadowed.length !== 1 || shadowed[0] !== ATTR_SERVICE_NAME || hasPendingAttributes(resource)) {
    return resourceWithout(resource, shadowed);
  }
  let view = withoutServiceName.get(resource);
  if (view === undefined) {
    view = resourceWithout(resource, shadowed);
    withoutServiceName.set(resource, view);
  }
  return view;
}

/**
 * The attributes as Zipkin tags should read them: the stock transform writes each value through String(), which
 * makes a map `[object Object]`; complex values (API 1.10's maps, mixed arrays, bytes) go as JSON instead. The
 * span's own object is returned when it holds none, which is nearly always.
 */
export function tagReadyAttributes(attributes: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  let copy: Record<string, unknown> | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    if (!isComplexValue(value)) continue;
    copy ??= { ...attributes };
    copy[key] = complexValueJson(value) ?? '';
  }
  return copy ?? attributes;
}

/**
 * The span as tomograph sends it to Zipkin: start on a whole microsecond, its own attributes first in the tags,
 * and the parent and instrumentation scope of an SDK 1.x span where the stock 2.x exporter looks for them.
 */
export function toZipkinExportView(span: ReadableSpan): ReadableSpan {
  return sdk2SpanView(span, {
    startTime: toWholeMicroseconds(span.startTime),
    attributes: tagReadyAttributes(span.attributes),
    resource: resourceUnder(span),
  });
}
