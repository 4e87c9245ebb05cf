// Seeded generators of hostile trace headers for fuzz tests: valid traceparent, b3, X-B3-* and X-Trace-Info
// values and their malformed, oversized and adversarial mutations. Seeded, so a failure replays exactly.
import { writeLegacyTraceInfo } from '../../src/propagation/legacy-pickle.js';

export const TRACE_HEADER_NAMES = [
  'traceparent',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-trace-info',
  'tracestate',
];

/** A small seeded generator (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Endless header sets. With `http`, values are what an HTTP client can send (visible ASCII, at most 4000
 * characters); without, anything, up to ~110 KB.
 */
export function* hostileHeaderSets(
  seed: number,
  options: { http?: boolean } = {},
): Generator<Record<string, string | string[]>> {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const hex = (n: number) => Array.from({ length: n }, () => pick([...'0123456789abcdef'])).join('');
  const valid = () =>
    pick([
      () => `00-${hex(32)}-${hex(16)}-0${pick(['0', '1'])}`,
      () => `${pick([hex(16), hex(32)])}-${hex(16)}-${pick(['0', '1', 'd'])}`,
      () => hex(pick([16, 32])),
      () => hex(16),
      () => writeLegacyTraceInfo({ traceId: hex(16), spanId: hex(16) }) ?? '',
    ])();
  const mutate = (value: string): string =>
    pick([
      () => value.toUpperCase(),
      () => value.slice(0, Math.floor(next() * value.length)),
      () => value + pick(['-', 'x', '\u0000', ' ', '\n', 'ff', '-00']),
      () => pick(['', ' ', '\t']) + value,
      () => value.replace(/[0-9a-f]/, pick(['g', 'Z', '-', '0'])),
      () => value.replace(/[0-9a-f]{16}/, '0'.repeat(16)),
      () => `ff${value.slice(2)}`,
      () => value.repeat(1 + Math.floor(next() * 2000)),
      () =>
        Array.from({ length: Math.floor(next() * 80) }, () => String.fromCharCode(Math.floor(next() * 0x3000))).join(
          '',
        ),
      () =>
        Buffer.from(Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256))).toString('base64'),
      () => value,
    ])();
  const sendable = (value: string) =>
    options.http === true ? value.replace(/[^\x21-\x7e]/g, '').slice(0, 4000) : value;
  for (;;) {
    const headers: Record<string, string | string[]> = {};
    for (const name of TRACE_HEADER_NAMES) {
      if (next() < 0.45) continue;
      const value = sendable(next() < 0.5 ? valid() : mutate(valid()));
      if (options.http === true && value === '') continue;
      headers[name] = next() < 0.05 ? [value, sendable(mutate(value))] : value;
    }
    yield headers;
  }
}

/** True when the ids appear in the headers as sent: 64-bit trace ids padded to 32, legacy ids pickled. */
export function idsAppearIn(
  headers: Record<string, string | string[]>,
  ids: { traceId: string; spanId: string },
): boolean {
  const text = Object.values(headers).flat().join('\n');
  const legacy = writeLegacyTraceInfo(ids);
  if (legacy !== undefined && text.includes(legacy)) return true;
  const traceFound =
    text.includes(ids.traceId) || (ids.traceId.startsWith('0'.repeat(16)) && text.includes(ids.traceId.slice(16)));
  return traceFound && text.includes(ids.spanId);
}
