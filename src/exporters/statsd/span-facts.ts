// Reads a finished span of SDK 1.x or 2.x defensively into the plain facts metric names are made of (pure).
import {
  ATTR_ENDPOINT_ADDRESS,
  ATTR_ENDPOINT_PORT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
} from '../../attributes.js';
import {
  attributesOf,
  durationMillisOf,
  firstText,
  instrumentationScopeOf,
  type ExportableSpan,
} from '../readable-span.js';

/** Re-exported under the name this exporter's public types have always used. */
export type { ExportableSpan };

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanStatusName = 'unset' | 'ok' | 'error';

/** A note (span event) with its own endpoint, each field defaulting to the span's, as the original did. */
export interface NoteFacts {
  readonly value: string;
  readonly serviceName: string;
  readonly address: string;
  readonly port: string;
}

/** What names and values are built from. `durationMs` is raw: it may be negative or NaN until clamped. */
export interface SpanFacts {
  readonly name: string;
  readonly kind: SpanKindName;
  readonly status: SpanStatusName;
  readonly durationMs: number;
  readonly serviceName: string;
  readonly address: string;
  readonly port: string;
  readonly notes: readonly NoteFacts[];
  /** The library that recorded the span (its tracer's name and version); `name` is '' when unknown. */
  readonly scope: { readonly name: string; readonly version: string | undefined };
  /** `http.response.status_code` (or the pre-1.21 `http.status_code`) when the span has one. */
  readonly httpStatusCode: number | undefined;
  /** The span attributes named by the `dimensions` option that the span has, as text, in the option's order. */
  readonly dimensions: ReadonlyArray<readonly [name: string, value: string]>;
}

/** The pre-1.21 semantic-convention attributes also read for an endpoint, after `server.*` (see docs/statsd.md). */
const OLD_HOST_NAME = 'net.host.name';
const OLD_HOST_PORT = 'net.host.port';
const OLD_PEER_NAME = 'net.peer.name';
const OLD_PEER_PORT = 'net.peer.port';
const RESOURCE_HOST_NAME = 'host.name';
const HTTP_STATUS_CODE = 'http.response.status_code';
const OLD_HTTP_STATUS_CODE = 'http.status_code';
const NO_DIMENSIONS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);
/** What OTel resources say when no service name was set; used when a span has neither attribute nor resource. */
export const UNKNOWN_SERVICE = 'unknown_service';

const KINDS: readonly SpanKindName[] = ['internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: readonly SpanStatusName[] = ['unset', 'ok', 'error'];

/**
 * The service of a span: its own `service.name`, else its resource's. A resource that was never given one says
 * `unknown_service:<process path>` (OTel's default); the path would put slashes and the install location into
 * Graphite names, so such a resource reads as plain `unknown_service`.
 */
function serviceNameOf(
  attributes: Readonly<Record<string, unknown>>,
  resource: Readonly<Record<string, unknown>>,
): string {
  const own = givenText(attributes[ATTR_SERVICE_NAME]);
  if (own !== undefined) return own;
  const fromResource = firstText(resource[ATTR_SERVICE_NAME]);
  if (fromResource === undefined || fromResource.startsWith(`${UNKNOWN_SERVICE}:`)) return UNKNOWN_SERVICE;
  return fromResource;
}

/**
 * An attribute the facade writes from the caller's own argument, as text: `''` included, since the original
 * named `start('svc', 'op', '', 80)` `svc--80.op` (an empty string is a value, not "not given").
 */
function givenText(value: unknown): string | undefined {
  return value === '' ? '' : firstText(value);
}

/** The scope of a span, read defensively. */
function scopeOf(span: ExportableSpan): SpanFacts['scope'] {
  const scope: unknown = instrumentationScopeOf(span);
  if (scope === null || typeof scope !== 'object') return { name: '', version: undefined };
  const { name, version } = scope as { name?: unknown; version?: unknown };
  return { name: typeof name === 'string' ? name : '', version: typeof version === 'string' ? version : undefined };
}

/** An HTTP status code as a number, from a number or a numeric string; else undefined. */
function statusCodeOf(value: unknown): number | undefined {
  const code = typeof value === 'string' ? Number(value) : value;
  return typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 999 ? code : undefined;
}

/** The attributes named in `names` that the span has, as text. */
function dimensionsOf(
  attributes: Readonly<Record<string, unknown>>,
  names: readonly string[],
): SpanFacts['dimensions'] {
  if (names.length === 0) return NO_DIMENSIONS;
  const found: Array<readonly [string, string]> = [];
  for (const name of names) {
    const value = firstText(attributes[name]);
    if (value !== undefined) found.push([name, value]);
  }
  return found;
}

/**
 * The facts of one span. `hostName` is the address of spans that carry none; `dimensions` the attributes to read
 * for tags. Never throws on odd input.
 */
export function readSpanFacts(span: ExportableSpan, hostName: string, dimensions: readonly string[] = []): SpanFacts {
  const attributes = attributesOf(span);
  const resource = attributesOf(span.resource);
  const kind = KINDS[typeof span.kind === 'number' ? span.kind : 0] ?? 'internal';
  const statusCode =
    span.status !== null && typeof span.status === 'object' ? (span.status as { code?: unknown }).code : undefined;
  const status = STATUSES[typeof statusCode === 'number' ? statusCode : 0] ?? 'unset';

  // The pre-1.21 semantic conventions name the local end net.host.* and the remote end net.peer.*; a server span's
  // endpoint is itself, a client span's is the peer it calls (as the original's db client spans did).
  const oldAddress =
    kind === 'client' ? attributes[OLD_PEER_NAME] : kind === 'server' ? attributes[OLD_HOST_NAME] : undefined;
  const oldPort =
    kind === 'client' ? attributes[OLD_PEER_PORT] : kind === 'server' ? attributes[OLD_HOST_PORT] : undefined;

  // One read of the resource's attributes: a 2.x resource with async attributes pending reports each read.
  const serviceName = serviceNameOf(attributes, resource);
  const address =
    givenText(attributes[ATTR_ENDPOINT_ADDRESS]) ??
    firstText(attributes[ATTR_SERVER_ADDRESS], oldAddress, resource[RESOURCE_HOST_NAME]) ??
    hostName;
  const port = firstText(attributes[ATTR_ENDPOINT_PORT], attributes[ATTR_SERVER_PORT], oldPort) ?? '0';

  const notes: NoteFacts[] = [];
  const events = Array.isArray(span.events) ? span.events : [];
  for (const event of events) {
    if (event === null || typeof event !== 'object') continue;
    const eventAttributes = attributesOf(event);
    notes.push({
      value: typeof event.name === 'string' ? event.name : String(event.name),
      serviceName: givenText(eventAttributes[ATTR_SERVICE_NAME]) ?? serviceName,
      address:
        givenText(eventAttributes[ATTR_ENDPOINT_ADDRESS]) ?? firstText(eventAttributes[ATTR_SERVER_ADDRESS]) ?? address,
      port: firstText(eventAttributes[ATTR_ENDPOINT_PORT], eventAttributes[ATTR_SERVER_PORT]) ?? port,
    });
  }

  return {
    name: typeof span.name === 'string' ? span.name : String(span.name),
    kind,
    status,
    durationMs: durationMillisOf(span),
    serviceName,
    address,
    port,
    notes,
    scope: scopeOf(span),
    httpStatusCode: statusCodeOf(attributes[HTTP_STATUS_CODE] ?? attributes[OLD_HTTP_STATUS_CODE]),
    dimensions: dimensionsOf(attributes, dimensions),
  };
}
