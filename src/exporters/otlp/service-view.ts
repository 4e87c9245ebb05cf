// What the stock OTLP exporter is given to serialize: each span under a resource that names the span's own service.
// Pure: no I/O, the span and its resource are never changed.
//
// Why: OTLP has no per-span service; receivers read `service.name` from the resource, and the stock exporter puts
// spans into one ResourceSpans per resource object. A facade span records its service as a span attribute (as
// Zipkin reads it), so without this view every facade span of a process would show under the process's service.
// Each (resource, service) pair gets one derived resource object, reused, so the exporter regroups the spans of a
// batch into one ResourceSpans per service; every other resource attribute is kept. One exporter per service was
// the other way: it would open a connection and a queue per service and split batches; this keeps one of each.
import type { SdkResource as Resource } from '../../sdk-line/types.js';
import type { SdkReadableSpan as ReadableSpan } from '../../sdk-line/types.js';
import { ATTR_SERVICE_NAME } from '../../attributes.js';
import { attributesOf, firstText, sdk2SpanView } from '../readable-span.js';
import { hasPendingAttributes } from '../../otel-internals/index.js';

/**
 * Derived resources kept per resource. Services come from code (facade calls, middleware options), so a few are
 * expected; past this many, spans of further services get a fresh resource each (still correct, less grouped).
 */
export const MAX_SERVICES_PER_RESOURCE = 256;

const derived = new WeakMap<Resource, Map<string, Resource>>();

function withService(resource: Resource, service: string): Resource {
  const attributes = { ...attributesOf(resource), [ATTR_SERVICE_NAME]: service } as Resource['attributes'];
  return Object.create(resource, { attributes: { value: attributes, enumerable: true } }) as Resource;
}

/** The resource of `service` derived from `resource`: the same object for the same pair while the cache holds it. */
export function resourceForService(resource: Resource, service: string): Resource {
  // A resource still waiting for async attributes may change: derive it afresh rather than keep a stale copy.
  if (hasPendingAttributes(resource)) return withService(resource, service);
  let services = derived.get(resource);
  if (services === undefined) {
    services = new Map();
    derived.set(resource, services);
  }
  let view = services.get(service);
  if (view === undefined) {
    view = withService(resource, service);
    if (services.size < MAX_SERVICES_PER_RESOURCE) services.set(service, view);
  }
  return view;
}

/**
 * The span as tomograph gives it to the stock OTLP exporter: under a resource whose `service.name` is the span's
 * own `service.name` attribute, else its resource's, else `fallbackService`. A span whose resource already names
 * that service is passed through as it is (an SDK 1.x span as an SDK 2.x view). The span attribute stays: it is
 * what the facade recorded, and receivers that do not expect it ignore it.
 */
export function toOtlpExportView(span: ReadableSpan, fallbackService?: string): ReadableSpan {
  const resource = span.resource;
  const service = firstText(
    attributesOf(span)[ATTR_SERVICE_NAME],
    attributesOf(resource)[ATTR_SERVICE_NAME],
    fallbackService,
  );
  const sdk2 = span.instrumentationScope !== undefined;
  if (service === undefined || attributesOf(resource)[ATTR_SERVICE_NAME] === service)
    return sdk2 ? span : sdk2SpanView(span, {});
  return sdk2SpanView(span, { resource: resourceForService(resource, service) });
}
