// The W3C `tracestate` header at Trace Context Level 2: its grammar, the rule that one bad member discards the
// whole header, and a TraceState that keeps to both when code changes it. Pure: no I/O, never throws.
// Why our own: OpenTelemetry's TraceState (core) keeps the Level 1 key grammar (at most one `@`, a vendor part of
// at most 13 characters after it) and drops bad members one by one, so a Level 2 key such as `foo@bar@baz` is lost
// and a header with an illegal member is forwarded in part. The W3C test suite checks both since 2026-06-30.
import type { TraceState } from '@opentelemetry/api';

/** Level 2 key: a lower-case letter or digit, then up to 255 of `a-z 0-9 _ - * / @`; 256 characters at most. */
const KEY = /^[0-9a-z][_0-9a-z\-*/@]{0,255}$/;
/** A value: 1 to 256 printable ASCII characters except `,` and `=`; spaces inside, never at the end. */
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
/** List members are separated by a comma with optional spaces or tabs around it (OWS). */
const DELIMITER = /[ \t]*,[ \t]*/;
const OUTER_OWS = /^[ \t]+|[ \t]+$/g;

/** More list members than this and the header is invalid (W3C: "a maximum of 32 list-members"). */
export const MAX_TRACESTATE_MEMBERS = 32;
/**
 * Longer input is refused before it is split. A header of 32 members with 256-character keys and values is about
 * 16 KiB; vendors are asked to keep theirs within 512 characters, so 8 KiB leaves ample room and bounds the work.
 */
export const MAX_TRACESTATE_LENGTH = 8192;

/** A tracestate list member. */
export interface TraceStateMember {
  readonly key: string;
  readonly value: string;
}

export function isTraceStateKey(key: string): boolean {
  return KEY.test(key);
}

export function isTraceStateValue(value: string): boolean {
  return VALUE.test(value);
}

/**
 * The members of one or more `tracestate` header values, in order, or undefined when the header must be discarded:
 * a member that is not `key=value` in the Level 2 grammar, more than 32 members, or input above
 * {@link MAX_TRACESTATE_LENGTH}. Several header values are one list, joined in the order received. Empty members
 * (`a=1,,b=2`, an empty header) are skipped. A repeated key keeps its first value (W3C allows dropping the repeat).
 * No members at all also reads as undefined: there is nothing to forward.
 */
export function parseTraceState(header: string | readonly string[] | undefined): TraceStateMember[] | undefined {
  if (header === undefined) return undefined;
  const text = typeof header === 'string' ? header : header.join(',');
  if (text.length > MAX_TRACESTATE_LENGTH) return undefined;
  const members: TraceStateMember[] = [];
  const seen = new Set<string>();
  for (const item of text.replace(OUTER_OWS, '').split(DELIMITER)) {
    if (item === '') continue;
    const equals = item.indexOf('=');
    if (equals < 0) return undefined;
    const key = item.slice(0, equals);
    const value = item.slice(equals + 1);
    if (!KEY.test(key) || !VALUE.test(value)) return undefined;
    if (seen.has(key)) continue;
    seen.add(key);
    members.push({ key, value });
    if (members.length > MAX_TRACESTATE_MEMBERS) return undefined;
  }
  return members.length > 0 ? members : undefined;
}

/** The header value of `members`: `key=value` joined by commas, in order. */
export function serializeTraceState(members: readonly TraceStateMember[]): string {
  return members.map((member) => `${member.key}=${member.value}`).join(',');
}

/**
 * An immutable OpenTelemetry TraceState that holds only Level 2 members. `set` puts a member first (W3C: a
 * changed or added key moves to the left) and drops the rightmost beyond 32; a key or value outside the grammar
 * is ignored (the state is returned unchanged) rather than thrown, since telemetry must not break the caller.
 */
export class Level2TraceState implements TraceState {
  readonly #members: readonly TraceStateMember[];

  constructor(members: readonly TraceStateMember[] = []) {
    this.#members = members;
  }

  /** The TraceState of a `tracestate` header, or undefined when the header is absent, empty or invalid. */
  static fromHeader(header: string | readonly string[] | undefined): Level2TraceState | undefined {
    const members = parseTraceState(header);
    return members === undefined ? undefined : new Level2TraceState(members);
  }

  get(key: string): string | undefined {
    return this.#members.find((member) => member.key === key)?.value;
  }

  set(key: string, value: string): Level2TraceState {
    if (typeof key !== 'string' || typeof value !== 'string' || !KEY.test(key) || !VALUE.test(value)) return this;
    const others = this.#members.filter((member) => member.key !== key);
    return new Level2TraceState([{ key, value }, ...others].slice(0, MAX_TRACESTATE_MEMBERS));
  }

  unset(key: string): Level2TraceState {
    return new Level2TraceState(this.#members.filter((member) => member.key !== key));
  }

  serialize(): string {
    return serializeTraceState(this.#members);
  }
}
