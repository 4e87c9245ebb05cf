// The strict reader of the Python tomograph's `X-Trace-Info` header: base64 of a protocol-0 pickle of the tuple
// `(trace_id, span_id)`. It NEVER unpickles: unpickling a request header runs whatever code the sender chose.
// It accepts only the exact text Python writes for a 2-tuple of positive integers, and nothing else.

/** Longer headers are refused before decoding: two 64-bit ids pickle to well under 100 base64 characters. */
export const LEGACY_HEADER_MAX_LENGTH = 128;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// `(I<tid>\nI<sid>\ntp0\n.`, where each integer may also be a Python 2 long `L<n>L`; the memo index may vary.
const PICKLED_PAIR = /^\((?:I(\d{1,20})|L(\d{1,20})L)\n(?:I(\d{1,20})|L(\d{1,20})L)\ntp\d{1,3}\n\.$/;
const MAX_64 = (1n << 64n) - 1n;

/** A 64-bit id as 16 lower-hex characters, or undefined when it is zero or does not fit in 64 bits. */
function toHex64(decimal: string): string | undefined {
  const value = BigInt(decimal);
  if (value === 0n || value > MAX_64) return undefined;
  return value.toString(16).padStart(16, '0');
}

/**
 * Reads a legacy header into ids, or undefined for anything but the exact legacy form.
 * The trace id is padded to 32 hex characters, as B3 pads 64-bit trace ids, so both map a legacy id alike.
 */
export function readLegacyTraceInfo(value: string): { traceId: string; spanId: string } | undefined {
  if (value.length === 0 || value.length > LEGACY_HEADER_MAX_LENGTH || value.length % 4 !== 0) return undefined;
  if (!BASE64.test(value)) return undefined;
  const match = PICKLED_PAIR.exec(Buffer.from(value, 'base64').toString('latin1'));
  if (match === null) return undefined;
  const traceDecimal = match[1] ?? match[2];
  const spanDecimal = match[3] ?? match[4];
  if (traceDecimal === undefined || spanDecimal === undefined) return undefined;
  const trace = toHex64(traceDecimal);
  const spanId = toHex64(spanDecimal);
  if (trace === undefined || spanId === undefined) return undefined;
  return { traceId: trace.padStart(32, '0'), spanId };
}

/**
 * Writes ids in the legacy form, for tests and for a caller that must talk to an old Python service.
 * Only 64-bit trace ids (the first 16 hex characters zero) have a legacy form.
 */
export function writeLegacyTraceInfo(ids: { traceId: string; spanId: string }): string | undefined {
  if (!/^(?:0{16})?[0-9a-f]{16}$/.test(ids.traceId) || !/^[0-9a-f]{16}$/.test(ids.spanId)) return undefined;
  const trace = BigInt(`0x${ids.traceId}`);
  const span = BigInt(`0x${ids.spanId}`);
  if (trace === 0n || span === 0n) return undefined;
  return Buffer.from(`(I${trace}\nI${span}\ntp0\n.`, 'latin1').toString('base64');
}
