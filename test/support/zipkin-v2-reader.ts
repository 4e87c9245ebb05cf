// How a real Zipkin server reads `POST /api/v2/spans`, as a pure function for the collector double: the official
// v2 API schema (test/fixtures/zipkin2-api.yaml) plus the stricter checks and normalisation of Zipkin's own reader.
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp?: number;
  duration?: number;
  debug?: boolean;
  shared?: boolean;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations?: { timestamp: number; value: string }[];
  tags?: Record<string, string>;
}

export type ReadResult = { ok: true; spans: ZipkinSpan[] } | { ok: false; message: string };

const api = parse(readFileSync(new URL('../fixtures/zipkin2-api.yaml', import.meta.url), 'utf8')) as {
  definitions: Record<string, unknown>;
};

// Swagger 2 uses a few keywords and formats JSON Schema validators do not know; they are declared, not ignored.
const ajv = new Ajv({ allErrors: false, strict: true });
ajv.addKeyword('example');
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
ajv.addFormat('ipv4', (s: string) => isIPv4(s));
ajv.addFormat('ipv6', (s: string) => isIPv6(s));
const validateListOfSpans = ajv.compile({ definitions: api.definitions, $ref: '#/definitions/ListOfSpans' });

// The yaml's patterns are unanchored; Zipkin's reader wants exactly lower hex of these lengths, and non-zero ids.
const TRACE_ID = /^(?!0+$)(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const SPAN_ID = /^(?!0+$)[0-9a-f]{16}$/;

/** Zipkin stores a 128-bit id whose upper half is zero as its 64-bit form. */
export function normalizeTraceId(traceId: string): string {
  return traceId.length === 32 && traceId.startsWith('0'.repeat(16)) ? traceId.slice(16) : traceId;
}

function isV1(item: unknown): boolean {
  if (typeof item !== 'object' || item === null) return false;
  const span = item as Record<string, unknown>;
  if ('binaryAnnotations' in span) return true;
  const annotations = span.annotations;
  return Array.isArray(annotations) && annotations.some((a) => typeof a === 'object' && a !== null && 'endpoint' in a);
}

function checkIds(span: ZipkinSpan, index: number): string | undefined {
  if (!TRACE_ID.test(span.traceId))
    return `spans[${index}].traceId: ${JSON.stringify(span.traceId)} is not 16 or 32 lower-hex characters (non-zero)`;
  if (!SPAN_ID.test(span.id))
    return `spans[${index}].id: ${JSON.stringify(span.id)} is not 16 lower-hex characters (non-zero)`;
  if (span.parentId !== undefined && !/^[0-9a-f]{16}$/.test(span.parentId))
    return `spans[${index}].parentId: ${JSON.stringify(span.parentId)} is not 16 lower-hex characters`;
  return undefined;
}

/** What Zipkin stores: ids normalised, names lower-cased, a zero parent/timestamp/duration as absent. */
function normalize(span: ZipkinSpan): ZipkinSpan {
  const out: ZipkinSpan = { ...span, traceId: normalizeTraceId(span.traceId) };
  if (out.parentId === '0'.repeat(16)) delete out.parentId;
  if (out.timestamp === 0) delete out.timestamp;
  if (out.name !== undefined) out.name = out.name.toLowerCase();
  for (const key of ['localEndpoint', 'remoteEndpoint'] as const) {
    const endpoint = out[key];
    if (endpoint?.serviceName !== undefined)
      out[key] = { ...endpoint, serviceName: endpoint.serviceName.toLowerCase() };
  }
  return out;
}

/** zipkin2.Span keeps duration as a long where 0 means absent, so Zipkin accepts 0 though the schema says minimum 1. */
function dropZeroDuration(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || (item as ZipkinSpan).duration !== 0) return item;
  const { duration: _zero, ...rest } = item as ZipkinSpan;
  return rest;
}

/** Reads a POST body as Zipkin does: 202 with the stored spans, or 400 with a message. */
export function readV2Spans(body: Buffer, contentEncoding: string | undefined): ReadResult {
  let bytes = body;
  if (contentEncoding === 'gzip') {
    try {
      bytes = gunzipSync(body);
    } catch {
      return { ok: false, message: 'Cannot gunzip spans' };
    }
  }
  if (bytes.length === 0) return { ok: true, spans: [] };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, message: `Malformed reading List<Span> from json: ${(error as Error).message}` };
  }
  if (Array.isArray(json) && json.some(isV1))
    return { ok: false, message: 'Expected v2 json, but received v1 (binaryAnnotations or annotation endpoints)' };
  const cleaned = Array.isArray(json) ? json.map(dropZeroDuration) : json;
  if (!validateListOfSpans(cleaned)) {
    const error = validateListOfSpans.errors?.[0];
    return {
      ok: false,
      message: `Malformed reading List<Span> from json: ${error?.instancePath ?? ''} ${error?.message ?? 'invalid'}`,
    };
  }
  const spans = cleaned as ZipkinSpan[];
  for (const [index, span] of spans.entries()) {
    const problem = checkIds(span, index);
    if (problem !== undefined) return { ok: false, message: problem };
  }
  return { ok: true, spans: spans.map(normalize) };
}
