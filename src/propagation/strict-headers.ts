// The exact forms tomograph accepts for incoming trace headers, checked before any propagator reads them.
// Why: the stock propagators are lenient (B3's single-header regex is unanchored, B3 multi keeps upper case),
// and an id Zipkin rejects makes it refuse the whole batch it arrives in. A header that fails is not seen at all.
import type { TextMapGetter } from '@opentelemetry/api';

/** Anchored formats with a length cap each (the regex bounds the length). Keys are lower case. */
const FORMATS: Readonly<Record<string, RegExp>> = {
  // Version 00 exactly; a later version may append fields (W3C says parse what you know), up to a cap.
  traceparent:
    /^(?:00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}|(?!ff)(?!00)[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(?:-[\x21-\x7e]{0,200})?)$/,
  b3: /^(?:(?:[0-9a-f]{32}|[0-9a-f]{16})-[0-9a-f]{16}(?:-[01d](?:-[0-9a-f]{16})?)?|[01d])$/,
  'x-b3-traceid': /^(?:[0-9a-f]{32}|[0-9a-f]{16})$/,
  'x-b3-spanid': /^[0-9a-f]{16}$/,
  'x-b3-parentspanid': /^[0-9a-f]{16}$/,
  'x-b3-sampled': /^(?:0|1|d|true|false)$/,
  'x-b3-flags': /^[01]$/,
};

/** Any other header read through the strict getter (tracestate, baggage, …) is cut off above this length. */
export const OTHER_HEADER_MAX_LENGTH = 8192;

/** True when a trace header value is in its exact form; headers tomograph has no rule for pass. */
export function isStrictHeaderValue(name: string, value: string): boolean {
  const format = FORMATS[name.toLowerCase()];
  return format === undefined ? value.length <= OTHER_HEADER_MAX_LENGTH : format.test(value);
}

/** Wraps a getter so that a trace header in any but its exact form reads as absent. */
export function strictGetter<T>(inner: TextMapGetter<T>): TextMapGetter<T> {
  return {
    keys: (carrier) => inner.keys(carrier),
    get(carrier, name) {
      const value = inner.get(carrier, name);
      const text = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
      return text !== undefined && isStrictHeaderValue(name, text) ? text : undefined;
    },
  };
}
