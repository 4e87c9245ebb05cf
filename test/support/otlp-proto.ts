// Reading OTLP trace requests as a receiver must, for the receiver double: protobuf decoded with the official
// opentelemetry-proto definitions, JSON checked against the OTLP/JSON mapping of the same definitions, and both
// read into one plain shape for assertions. Knows nothing of tomograph.
//
// The .proto files are opentelemetry-proto v0.19 as shipped in the npm package @opentelemetry/otlp-grpc-exporter-base
// 0.38.0 (installed as `opentelemetry-proto-files`; the last release on npm to ship them). The fields added to
// opentelemetry-proto since then that an OTLP exporter may send are declared below, each with its version, and the
// field removed since is taken out: a message that uses anything else is refused.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const PROTOS = join(dirname(require.resolve('opentelemetry-proto-files/package.json')), 'build', 'protos');

function loadDefinitions(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTOS, target);
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
  const scope = root.lookupType('opentelemetry.proto.common.v1.InstrumentationScope');
  scope.add(new protobuf.Field('attributes', 3, 'opentelemetry.proto.common.v1.KeyValue', 'repeated')); // v0.20.0
  scope.add(new protobuf.Field('droppedAttributesCount', 4, 'uint32')); // v0.20.0
  root.lookupType('opentelemetry.proto.trace.v1.Span').add(new protobuf.Field('flags', 16, 'fixed32')); // v1.1.0
  root.lookupType('opentelemetry.proto.trace.v1.Span.Link').add(new protobuf.Field('flags', 6, 'fixed32')); // v1.1.0
  const resourceSpans = root.lookupType('opentelemetry.proto.trace.v1.ResourceSpans');
  resourceSpans.remove(resourceSpans.fields.instrumentationLibrarySpans!); // removed in v1.0.0
  root.resolveAll();
  return root;
}

const root = loadDefinitions();
export const ExportTraceServiceRequest = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
);
const SPAN = root.lookupType('opentelemetry.proto.trace.v1.Span');
const LINK = root.lookupType('opentelemetry.proto.trace.v1.Span.Link');

/** An attribute value as received, read back into JavaScript (int64 as bigint, bytes as Buffer). */
export type ReceivedValue =
  string | boolean | number | bigint | Buffer | ReceivedValue[] | { [key: string]: ReceivedValue } | undefined;

export interface ReceivedSpan {
  /** The resource's `service.name`. */
  service: string | undefined;
  resource: Record<string, ReceivedValue>;
  scope: { name: string; version: string | undefined };
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  traceState: string | undefined;
  name: string;
  /** The OTLP enum number (1 INTERNAL, 2 SERVER, 3 CLIENT…). */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, ReceivedValue>;
  events: Array<{ name: string; timeUnixNano: bigint; attributes: Record<string, ReceivedValue> }>;
  status: { code: number; message: string | undefined };
  flags: number | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): the proto3 JSON mapping with
// lowerCamelCase keys, trace and span ids as lower-case hex (not base64), enums as integers, 64-bit integers as
// decimal strings (or exact numbers, which proto3 JSON parsers accept), and no field the definitions do not have.

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
const HEX_ID_LENGTHS: Record<string, number> = { traceId: 32, spanId: 16, parentSpanId: 16 };

function checkScalar(
  field: protobuf.Field,
  value: unknown,
  path: string,
  inIdMessage: boolean,
  errors: string[],
): void {
  const type = field.type;
  if (field.resolvedType instanceof protobuf.Enum) {
    if (typeof value !== 'number' || !Number.isInteger(value))
      errors.push(`${path}: enum must be an integer, got ${JSON.stringify(value)}`);
    else if (!Object.values(field.resolvedType.values).includes(value))
      errors.push(`${path}: ${value} is not a value of ${field.resolvedType.name}`);
  } else if (INT64.has(type)) {
    // proto3 JSON writes 64-bit integers as decimal strings and lets parsers accept numbers too. The stock JSON
    // exporter sends times as strings but attribute `intValue`s as numbers; a number is taken only while it is
    // exact (a safe integer), since one above 2^53 would already have lost digits.
    const unsigned = type.startsWith('u') || type === 'fixed64';
    const digits = unsigned ? /^(0|[1-9]\d*)$/ : /^(0|-?[1-9]\d*)$/;
    const exactNumber = typeof value === 'number' && Number.isSafeInteger(value) && (!unsigned || value >= 0);
    if (!exactNumber && (typeof value !== 'string' || !digits.test(value)))
      errors.push(`${path}: ${type} must be a decimal string, got ${JSON.stringify(value)}`);
  } else if (INT32.has(type)) {
    if (typeof value !== 'number' || !Number.isInteger(value))
      errors.push(`${path}: ${type} must be an integer, got ${JSON.stringify(value)}`);
    else if ((type.startsWith('u') || type === 'fixed32') && (value < 0 || value > 0xffffffff))
      errors.push(`${path}: ${type} out of range: ${value}`);
  } else if (type === 'double' || type === 'float') {
    if (typeof value !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(value as string))
      errors.push(`${path}: ${type} must be a number, got ${JSON.stringify(value)}`);
  } else if (type === 'bool') {
    if (typeof value !== 'boolean') errors.push(`${path}: bool must be true or false, got ${JSON.stringify(value)}`);
  } else if (type === 'string') {
    if (typeof value !== 'string') errors.push(`${path}: must be a string, got ${JSON.stringify(value)}`);
  } else if (type === 'bytes') {
    const hexLength = inIdMessage ? HEX_ID_LENGTHS[field.name] : undefined;
    if (hexLength !== undefined) {
      // OTLP/JSON's one exception to proto3 JSON: ids are hex. An empty parentSpanId means a root.
      const ok =
        typeof value === 'string' &&
        (new RegExp(`^[0-9a-f]{${hexLength}}$`).test(value) || (field.name === 'parentSpanId' && value === ''));
      if (!ok) errors.push(`${path}: must be ${hexLength} lower-case hex characters, got ${JSON.stringify(value)}`);
    } else if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      errors.push(`${path}: bytes must be base64, got ${JSON.stringify(value)}`);
    }
  } else {
    errors.push(`${path}: unexpected field type ${type}`);
  }
}

/** Every way `value` departs from the OTLP/JSON mapping of `type`; empty when it keeps to it. */
export function otlpJsonErrors(type: protobuf.Type, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return [`${path}: ${type.name} must be an object`];
  const idMessage = type === SPAN || type === LINK;
  for (const oneof of type.oneofsArray) {
    const set = oneof.fieldsArray.filter((f) => (value as Record<string, unknown>)[f.name] !== undefined);
    if (set.length > 1)
      errors.push(`${path}: more than one of oneof ${oneof.name}: ${set.map((f) => f.name).join(', ')}`);
  }
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = type.fields[key];
    const at = `${path}.${key}`;
    if (field === undefined) {
      errors.push(`${at}: no such field in ${type.fullName} (OTLP/JSON keys are lowerCamelCase)`);
      continue;
    }
    if (fieldValue === null) continue; // proto3 JSON: null is the default value
    const items = field.repeated
      ? Array.isArray(fieldValue)
        ? fieldValue
        : (errors.push(`${at}: must be an array`), [])
      : [fieldValue];
    items.forEach((item: unknown, index: number) => {
      const itemPath = field.repeated ? `${at}[${index}]` : at;
      if (field.resolvedType instanceof protobuf.Type)
        errors.push(...otlpJsonErrors(field.resolvedType, item, itemPath));
      else checkScalar(field, item, itemPath, idMessage, errors);
    });
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------------------------
// Protobuf: decoded with the definitions; re-encoding what was decoded must give back as many bytes, since
// protobufjs skips fields it does not know and a shorter re-encoding means the sender used one.

/** The request as OTLP/JSON would carry it, or the reasons it is not a valid ExportTraceServiceRequest. */
export function decodeOtlpProtobuf(body: Uint8Array): { request?: unknown; errors: string[] } {
  let message: protobuf.Message;
  try {
    message = ExportTraceServiceRequest.decode(body);
  } catch (error) {
    return { errors: [`not an ExportTraceServiceRequest: ${(error as Error).message}`] };
  }
  const reencoded = ExportTraceServiceRequest.encode(message).finish().length;
  if (reencoded !== body.length)
    return { errors: [`${body.length - reencoded} byte(s) of fields the definitions do not have`] };
  const object = ExportTraceServiceRequest.toObject(message, {
    longs: String,
    enums: Number,
    bytes: String,
    arrays: false,
    defaults: false,
  });
  return { request: idsToHex(object), errors: [] };
}

/** Base64 ids (protobufjs' `bytes: String`) as the lower-case hex OTLP/JSON uses, everywhere in the request. */
function idsToHex(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(idsToHex);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      key in HEX_ID_LENGTHS && typeof item === 'string' ? Buffer.from(item, 'base64').toString('hex') : idsToHex(item);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// One shape for both encodings.

type Json = Record<string, unknown>;

function anyValue(value: Json | undefined): ReceivedValue {
  if (value === undefined) return undefined;
  if ('stringValue' in value) return value.stringValue as string;
  if ('boolValue' in value) return value.boolValue as boolean;
  if ('intValue' in value) return BigInt(value.intValue as string | number);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('bytesValue' in value) return Buffer.from(value.bytesValue as string, 'base64');
  if ('arrayValue' in value) return (((value.arrayValue as Json).values as Json[] | undefined) ?? []).map(anyValue);
  if ('kvlistValue' in value) return keyValues((value.kvlistValue as Json).values as Json[] | undefined);
  return undefined;
}

function keyValues(list: Json[] | undefined): Record<string, ReceivedValue> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key as string, anyValue(kv.value as Json | undefined)]));
}

/** The spans of a valid request (OTLP/JSON form), each with its resource and scope. */
export function spansOfRequest(request: unknown): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of ((request as Json).resourceSpans as Json[] | undefined) ?? []) {
    const resource = keyValues(((resourceSpans.resource as Json | undefined)?.attributes as Json[] | undefined) ?? []);
    for (const scopeSpans of (resourceSpans.scopeSpans as Json[] | undefined) ?? []) {
      const scope = (scopeSpans.scope as Json | undefined) ?? {};
      for (const span of (scopeSpans.spans as Json[] | undefined) ?? []) {
        const status = (span.status as Json | undefined) ?? {};
        spans.push({
          service: resource['service.name'] as string | undefined,
          resource,
          scope: { name: (scope.name as string | undefined) ?? '', version: scope.version as string | undefined },
          traceId: span.traceId as string,
          spanId: span.spanId as string,
          parentSpanId: (span.parentSpanId as string | undefined) || undefined,
          traceState: (span.traceState as string | undefined) || undefined,
          name: span.name as string,
          kind: (span.kind as number | undefined) ?? 0,
          startTimeUnixNano: BigInt((span.startTimeUnixNano as string | undefined) ?? '0'),
          endTimeUnixNano: BigInt((span.endTimeUnixNano as string | undefined) ?? '0'),
          attributes: keyValues(span.attributes as Json[] | undefined),
          events: ((span.events as Json[] | undefined) ?? []).map((event) => ({
            name: event.name as string,
            timeUnixNano: BigInt((event.timeUnixNano as string | undefined) ?? '0'),
            attributes: keyValues(event.attributes as Json[] | undefined),
          })),
          status: {
            code: (status.code as number | undefined) ?? 0,
            message: (status.message as string | undefined) || undefined,
          },
          flags: span.flags as number | undefined,
        });
      }
    }
  }
  return spans;
}

/** What OTLP requires of a span beyond the encoding: 16- and 8-byte non-zero ids, a start no later than its end. */
export function spanErrors(span: ReceivedSpan): string[] {
  const errors: string[] = [];
  if (!/^[0-9a-f]{32}$/.test(span.traceId) || /^0+$/.test(span.traceId))
    errors.push(`span ${span.name}: invalid traceId ${span.traceId}`);
  if (!/^[0-9a-f]{16}$/.test(span.spanId) || /^0+$/.test(span.spanId))
    errors.push(`span ${span.name}: invalid spanId ${span.spanId}`);
  if (span.parentSpanId !== undefined && !/^[0-9a-f]{16}$/.test(span.parentSpanId))
    errors.push(`span ${span.name}: invalid parentSpanId ${span.parentSpanId}`);
  if (span.startTimeUnixNano === 0n || span.endTimeUnixNano < span.startTimeUnixNano)
    errors.push(`span ${span.name}: times ${span.startTimeUnixNano}..${span.endTimeUnixNano}`);
  if (span.name === '') errors.push('a span without a name');
  return errors;
}
