// The Python tomograph's `X-Trace-Info` header: base64 of `pickle.dumps((trace_id, span_id))` with the
// interpreter's default protocol (0 on Python 2, 3 on Python 3.0–3.7, 4 on 3.8–3.13, 5 on 3.14).
//
// The reader NEVER unpickles: unpickling a request header runs whatever code the sender chose. It walks the
// bytes of exactly the opcodes Python writes for a 2-tuple of integers — a protocol header and frame, two
// integers, the tuple, a memo entry, STOP — and refuses everything else, reading at most
// LEGACY_HEADER_MAX_LENGTH characters (at most 96 bytes once decoded) and allocating nothing beyond them.

/** Longer headers are refused before decoding: two 64-bit ids pickle to at most 72 base64 characters. */
export const LEGACY_HEADER_MAX_LENGTH = 128;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The decimal text of an `I`/`L` opcode: no leading zero (Python 2 writes `I00`/`I01` for booleans). */
const DECIMAL = /^-?[1-9]\d{0,19}$/;
const TWO_64 = 1n << 64n;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

// Opcodes (CPython Lib/pickle.py).
const MARK = 0x28; // '('
const STOP = 0x2e; // '.'
const INT = 0x49; // 'I' decimal text, '\n'
const LONG = 0x4c; // 'L' decimal text, optional 'L', '\n'
const BININT = 0x4a; // 'J' 4-byte signed little-endian
const BININT1 = 0x4b; // 'K' 1-byte unsigned
const BININT2 = 0x4d; // 'M' 2-byte unsigned little-endian
const LONG1 = 0x8a; // n, then n bytes two's complement little-endian (protocol 2+)
const TUPLE = 0x74; // 't' tuple of the items since MARK (protocols 0 and 1)
const TUPLE2 = 0x86; // tuple of the top two items (protocol 2+)
const PUT = 0x70; // 'p' decimal memo index, '\n'
const BINPUT = 0x71; // 'q' 1-byte memo index
const LONG_BINPUT = 0x72; // 'r' 4-byte memo index
const MEMOIZE = 0x94; // protocol 4+
const PROTO = 0x80;
const FRAME = 0x95; // 8-byte little-endian length of what follows (protocol 4+)
const NEWLINE = 0x0a;

/** An integer opcode at `at`: its value and where the next opcode starts, or undefined. */
function readInteger(bytes: Buffer, at: number, binary: boolean): { value: bigint; next: number } | undefined {
  const op = bytes[at];
  if (op === INT || op === LONG) {
    const end = bytes.indexOf(NEWLINE, at + 1);
    if (end < 0) return undefined;
    let text = bytes.toString('latin1', at + 1, end);
    if (op === LONG && text.endsWith('L')) text = text.slice(0, -1);
    return DECIMAL.test(text) ? { value: BigInt(text), next: end + 1 } : undefined;
  }
  if (op === BININT1 && at + 2 <= bytes.length) return { value: BigInt(bytes.readUInt8(at + 1)), next: at + 2 };
  if (op === BININT2 && at + 3 <= bytes.length) return { value: BigInt(bytes.readUInt16LE(at + 1)), next: at + 3 };
  if (op === BININT && at + 5 <= bytes.length) return { value: BigInt(bytes.readInt32LE(at + 1)), next: at + 5 };
  if (op === LONG1 && binary) {
    const size = bytes[at + 1];
    // Up to 9 bytes: 2^64 − 1 needs a ninth for its sign.
    if (size === undefined || size < 1 || size > 9 || at + 2 + size > bytes.length) return undefined;
    let value = 0n;
    for (let i = size - 1; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[at + 2 + i] as number);
    if (((bytes[at + 1 + size] as number) & 0x80) !== 0) value -= 1n << BigInt(8 * size);
    return { value, next: at + 2 + size };
  }
  return undefined;
}

/** Where the optional memo entry after the tuple ends, or undefined for a malformed one. */
function skipMemo(bytes: Buffer, at: number): number | undefined {
  const op = bytes[at];
  if (op === MEMOIZE) return at + 1;
  if (op === BINPUT) return at + 2 <= bytes.length ? at + 2 : undefined;
  if (op === LONG_BINPUT) return at + 5 <= bytes.length ? at + 5 : undefined;
  if (op === PUT) {
    const end = bytes.indexOf(NEWLINE, at + 1);
    return end > at + 1 && end <= at + 11 && /^\d+$/.test(bytes.toString('latin1', at + 1, end)) ? end + 1 : undefined;
  }
  return at;
}

/** The two integers of a pickled 2-tuple, or undefined for any other pickle (or anything else). */
export function unpicklePair(bytes: Buffer): [bigint, bigint] | undefined {
  let at = 0;
  let binary = false;
  if (bytes[0] === PROTO) {
    const version = bytes[1];
    if (version === undefined || version < 2 || version > 5) return undefined;
    binary = true;
    at = 2;
    if (version >= 4 && bytes[at] === FRAME) {
      if (at + 9 > bytes.length || bytes.readBigUInt64LE(at + 1) !== BigInt(bytes.length - at - 9)) return undefined;
      at += 9;
    }
  } else if (bytes[0] === MARK) {
    at = 1;
  } else {
    return undefined;
  }
  const first = readInteger(bytes, at, binary);
  if (first === undefined) return undefined;
  const second = readInteger(bytes, first.next, binary);
  if (second === undefined) return undefined;
  at = second.next;
  if (bytes[at] !== (binary ? TUPLE2 : TUPLE)) return undefined;
  const end = skipMemo(bytes, at + 1);
  if (end === undefined || bytes[end] !== STOP || end + 1 !== bytes.length) return undefined;
  return [first.value, second.value];
}

/**
 * A legacy id as 16 lower-hex characters: its 64 bits, a negative one read as two's complement (the form the
 * original's Zipkin backend sent it in); undefined when it is zero or outside [-2^63, 2^64).
 */
function toHex64(value: bigint): string | undefined {
  if (value < MIN_I64 || value >= TWO_64) return undefined;
  const bits = value < 0n ? value + TWO_64 : value;
  return bits === 0n ? undefined : bits.toString(16).padStart(16, '0');
}

/**
 * Reads a legacy header into ids, or undefined for anything but a pickled pair of non-zero 64-bit integers.
 * The trace id is padded to 32 hex characters, as B3 pads 64-bit trace ids, so both map a legacy id alike.
 */
export function readLegacyTraceInfo(value: string): { traceId: string; spanId: string } | undefined {
  if (value.length === 0 || value.length > LEGACY_HEADER_MAX_LENGTH || value.length % 4 !== 0) return undefined;
  if (!BASE64.test(value)) return undefined;
  const pair = unpicklePair(Buffer.from(value, 'base64'));
  if (pair === undefined) return undefined;
  const trace = toHex64(pair[0]);
  const spanId = toHex64(pair[1]);
  if (trace === undefined || spanId === undefined) return undefined;
  return { traceId: trace.padStart(32, '0'), spanId };
}

/** 16 hex characters as the signed 64-bit integer with the same bits: what a Thrift i64 can carry. */
function signed64(hex: string): bigint {
  const bits = BigInt(`0x${hex}`);
  return bits > MAX_I64 ? bits - TWO_64 : bits;
}

/**
 * Writes ids in the legacy form: Python 2's `pickle.dumps((trace_id, span_id))` (protocol 0, which every Python
 * reads). A 128-bit trace id gives its lower 64 bits, the part Zipkin matches 64-bit ids on. Each id is written as
 * the signed 64-bit integer with the id's bits, because the original's Zipkin backend sends ids as Thrift i64 and
 * fails on anything outside that range; Zipkin shows such an id as the same 16 hex characters. Undefined when an
 * id is malformed or its 64 bits are zero.
 */
export function writeLegacyTraceInfo(ids: { traceId: string; spanId: string }): string | undefined {
  if (!/^(?:[0-9a-f]{16})?[0-9a-f]{16}$/.test(ids.traceId) || !/^[0-9a-f]{16}$/.test(ids.spanId)) return undefined;
  const trace = signed64(ids.traceId.slice(-16));
  const span = signed64(ids.spanId);
  if (trace === 0n || span === 0n) return undefined;
  return Buffer.from(`(I${trace}\nI${span}\ntp0\n.`, 'latin1').toString('base64');
}
