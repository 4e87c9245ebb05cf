// Reads a finished span of SDK 1.x or 2.x defensively into the plain facts metric names are made of (pure).
import {
  ATTR_ENDPOINT_ADDRESS,
  ATTR_ENDPOINT_PORT,
  ATTR_SERVICE_NAME,
} from '../../attributes.js';

/**
 * The parts of a finished span this exporter reads. Both SDK 1.x and 2.x `ReadableSpan`s fit it; every field is
 * read defensively, since spans may come from other SDK versions or hand-made test doubles.
 */
export interface ExportableSpan {
  readonly name: string;
  readonly kind?: number;
  readonly startTime?: readonly [number, number] | unknown;
  readonly endTime?: readonly [number, number] | unknown;
  readonly duration?: readonly [number, number] | unknown;
  readonly status?: { readonly code?: number } | unknown;
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly events?: ReadonlyArray<{ readonly name: string; readonly attributes?: Readonly<Record<string, unknown>> | undefined }>;
  readonly resource?: { readonly attributes?: Readonly<Record<string, unknown>> } | unknown;
}

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
}

/** The semantic-convention attributes read for an endpoint, beside tomograph's own (see docs/statsd.md). */
const SERVER_ADDRESS = 'server.address';
const SERVER_PORT = 'server.port';
const OLD_HOST_NAME = 'net.host.name';
const OLD_HOST_PORT = 'net.host.port';
const OLD_PEER_NAME = 'net.peer.name';
const OLD_PEER_PORT = 'net.peer.port';
const RESOURCE_HOST_NAME = 'host.name';
/** What OTel resources say when no service name was set; used when a span has neither attribute nor resource. */
export const UNKNOWN_SERVICE = 'unknown_service';

const KINDS: readonly SpanKindName[] = ['internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: readonly SpanStatusName[] = ['unset', 'ok', 'error'];

type Attributes = Readonly<Record<string, unknown>>;

function attributesOf(holder: unknown): Attributes {
  try {
    if (holder !== null && typeof holder === 'object') {
      const attributes = (holder as { attributes?: unknown }).attributes;
      if (attributes !== null && typeof attributes === 'object') return attributes as Attributes;
    }
  } catch {
    // A resource getter that throws (async attributes in odd states) must not lose the span: read it as empty.
  }
  return {};
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function first(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    const found = text(candidate);
    if (found !== undefined) return found;
  }
  return undefined;
}

function isHrTime(value: unknown): value is readonly [number, number] {
  return Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && Number.isFinite(value[1]);
}

function hrToMs(time: readonly [number, number]): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** Milliseconds between start and end: `duration` when it is a valid HrTime, else end − start, else NaN. */
export function durationMsOf(span: ExportableSpan): number {
  if (isHrTime(span.duration)) return hrToMs(span.duration);
  if (isHrTime(span.startTime) && isHrTime(span.endTime)) {
    // Subtract seconds and nanoseconds apart so a large epoch does not eat the sub-millisecond digits.
    return (span.endTime[0] - span.startTime[0]) * 1e3 + (span.endTime[1] - span.startTime[1]) / 1e6;
  }
  return Number.NaN;
}

/** The facts of one span. `hostName` is the address of spans that carry none. Never throws on odd input. */
export function readSpanFacts(span: ExportableSpan, hostName: string): SpanFacts {
  const attributes = attributesOf(span);
  const resource = attributesOf(span.resource);
  const kind = KINDS[typeof span.kind === 'number' ? span.kind : 0] ?? 'internal';
  const statusCode = span.status !== null && typeof span.status === 'object' ? (span.status as { code?: unknown }).code : undefined;
  const status = STATUSES[typeof statusCode === 'number' ? statusCode : 0] ?? 'unset';

  // The pre-1.21 semantic conventions name the local end net.host.* and the remote end net.peer.*; a server span's
  // endpoint is itself, a client span's is the peer it calls (as the original's db client spans did).
  const oldAddress = kind === 'client' ? attributes[OLD_PEER_NAME] : kind === 'server' ? attributes[OLD_HOST_NAME] : undefined;
  const oldPort = kind === 'client' ? attributes[OLD_PEER_PORT] : kind === 'server' ? attributes[OLD_HOST_PORT] : undefined;

  const serviceName = first(attributes[ATTR_SERVICE_NAME], resource[ATTR_SERVICE_NAME]) ?? UNKNOWN_SERVICE;
  const address = first(attributes[ATTR_ENDPOINT_ADDRESS], attributes[SERVER_ADDRESS], oldAddress, resource[RESOURCE_HOST_NAME]) ?? hostName;
  const port = first(attributes[ATTR_ENDPOINT_PORT], attributes[SERVER_PORT], oldPort) ?? '0';

  const notes: NoteFacts[] = [];
  const events = Array.isArray(span.events) ? span.events : [];
  for (const event of events) {
    if (event === null || typeof event !== 'object') continue;
    const eventAttributes = attributesOf(event);
    notes.push({
      value: typeof event.name === 'string' ? event.name : String(event.name),
      serviceName: first(eventAttributes[ATTR_SERVICE_NAME]) ?? serviceName,
      address: first(eventAttributes[ATTR_ENDPOINT_ADDRESS], eventAttributes[SERVER_ADDRESS]) ?? address,
      port: first(eventAttributes[ATTR_ENDPOINT_PORT], eventAttributes[SERVER_PORT]) ?? port,
    });
  }

  return {
    name: typeof span.name === 'string' ? span.name : String(span.name),
    kind,
    status,
    durationMs: durationMsOf(span),
    serviceName,
    address,
    port,
    notes,
  };
}
