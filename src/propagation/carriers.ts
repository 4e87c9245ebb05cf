// Carrier adapters: read and write trace headers on the shapes an app holds (plain objects, Node's incoming
// headers, fetch `Headers`, a Node `OutgoingMessage`), as OpenTelemetry TextMap getters and setters.
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** A fetch `Headers` (or anything with the same `get`/`set`). */
export interface FetchHeadersLike {
  get(name: string): string | null;
  set(name: string, value: string): void;
}

/** A Node `OutgoingMessage` (`http.ClientRequest`, `http.ServerResponse`) or anything with `setHeader`. */
export interface OutgoingMessageLike {
  setHeader(name: string, value: string | number | readonly string[]): unknown;
  getHeader(name: string): string | number | string[] | undefined;
}

/** A plain header object: `IncomingHttpHeaders`, `OutgoingHttpHeaders` or a user's `{ [name]: value }`. */
export type PlainHeaders = Record<string, string | string[] | number | undefined>;

/** Headers tomograph can write trace headers into. */
export type OutgoingHeaders = PlainHeaders | FetchHeadersLike | OutgoingMessageLike;

/** Headers tomograph can read trace headers from. */
export type IncomingHeaders = PlainHeaders | FetchHeadersLike;

/** True for a Node `ClientRequest`/`ServerResponse` (headers set through `setHeader`). */
export function isOutgoingMessage(carrier: object): carrier is OutgoingMessageLike {
  return typeof (carrier as Partial<OutgoingMessageLike>).setHeader === 'function';
}

function isFetchHeaders(carrier: object): carrier is FetchHeadersLike {
  const c = carrier as Partial<FetchHeadersLike>;
  return typeof c.get === 'function' && typeof c.set === 'function';
}

/** Text or a list of texts (a repeated header: the reader decides what a repeat means); numbers become text. */
function headerValue(value: unknown): string | string[] | undefined {
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** HTTP header names are case-insensitive, but a plain object is not: find the key whatever its case. */
function plainKey(carrier: PlainHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  if (Object.hasOwn(carrier, lower)) return lower;
  return Object.keys(carrier).find((key) => key.toLowerCase() === lower);
}

export const incomingHeadersGetter: TextMapGetter<IncomingHeaders> = {
  keys(carrier) {
    if (isFetchHeaders(carrier)) {
      const keys: string[] = [];
      (carrier as unknown as { forEach?: (cb: (v: string, k: string) => void) => void }).forEach?.((_v, k) =>
        keys.push(k),
      );
      return keys;
    }
    return Object.keys(carrier);
  },
  get(carrier, name) {
    if (isFetchHeaders(carrier)) return carrier.get(name) ?? undefined;
    const key = plainKey(carrier, name);
    return key === undefined ? undefined : headerValue(carrier[key]);
  },
};

export const outgoingHeadersSetter: TextMapSetter<OutgoingHeaders> = {
  set(carrier, name, value) {
    if (isOutgoingMessage(carrier)) {
      carrier.setHeader(name, value);
    } else if (isFetchHeaders(carrier)) {
      carrier.set(name, value);
    } else {
      // Replace a same-named header in another case rather than send both.
      const existing = plainKey(carrier, name);
      if (existing !== undefined && existing !== name) delete carrier[existing];
      carrier[name] = value;
    }
  },
};
