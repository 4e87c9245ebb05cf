// The Level 2 tracestate grammar, as pure functions: the W3C suite's cases as a table, and the TraceState that
// keeps to the grammar when code changes it.
import { describe, expect, it } from 'vitest';
import {
  Level2TraceState,
  MAX_TRACESTATE_LENGTH,
  parseTraceState,
  serializeTraceState,
} from '../../src/propagation/tracestate.js';
import { TRACESTATE_CASES } from './tracestate-cases.js';

describe('parseTraceState on the W3C suite cases', () => {
  it.each(TRACESTATE_CASES.map((c) => [c.name, c] as const))('%s', (_name, { lines, forwards }) => {
    const members = parseTraceState(lines);
    expect(members === undefined ? null : members.map((m) => [m.key, m.value])).toEqual(forwards);
  });

  it('reads a Node-joined header (lines joined by ", ") like separate lines', () => {
    for (const { lines, forwards } of TRACESTATE_CASES) {
      const members = parseTraceState(lines.join(', '));
      expect(members === undefined ? null : members.map((m) => [m.key, m.value])).toEqual(forwards);
    }
  });
});

describe('parseTraceState limits', () => {
  it('discards a member without =', () => expect(parseTraceState('foo=1,bar')).toBeUndefined());
  it('keeps a value with inner spaces and discards one of 257 characters', () => {
    expect(parseTraceState('foo=a b')).toEqual([{ key: 'foo', value: 'a b' }]);
    expect(parseTraceState(`foo=${'v'.repeat(256)}`)).toEqual([{ key: 'foo', value: 'v'.repeat(256) }]);
    expect(parseTraceState(`foo=${'v'.repeat(257)}`)).toBeUndefined();
  });
  it('refuses input above the length cap before splitting it', () => {
    const long = Array.from({ length: 40 }, (_, i) => `k${i}=${'v'.repeat(250)}`).join(',');
    expect(long.length).toBeGreaterThan(MAX_TRACESTATE_LENGTH);
    expect(parseTraceState(long)).toBeUndefined();
  });
  it('reads nothing from no header and from commas alone', () => {
    expect(parseTraceState(undefined)).toBeUndefined();
    expect(parseTraceState(' , ,')).toBeUndefined();
  });
  it('serializes members in order, comma-separated without spaces', () => {
    expect(serializeTraceState(parseTraceState('a=1 , b=2,\tc@d=3') ?? [])).toBe('a=1,b=2,c@d=3');
  });
});

describe('Level2TraceState', () => {
  const state = Level2TraceState.fromHeader('foo=1,bar=2')!;

  it('reads members by key', () => {
    expect([state.get('foo'), state.get('bar'), state.get('baz')]).toEqual(['1', '2', undefined]);
  });

  it('puts a set member first and moves a changed one there, leaving the original unchanged', () => {
    expect(state.set('baz', '3').serialize()).toBe('baz=3,foo=1,bar=2');
    expect(state.set('bar', '9').serialize()).toBe('bar=9,foo=1');
    expect(state.serialize()).toBe('foo=1,bar=2');
  });

  it('ignores a key or value outside the grammar instead of throwing', () => {
    expect(state.set('Bad', '1')).toBe(state);
    expect(state.set('ok', 'a,b')).toBe(state);
    expect(state.set('ok', '')).toBe(state);
  });

  it('drops the rightmost member beyond 32', () => {
    let many = new Level2TraceState();
    for (let i = 1; i <= 33; i++) many = many.set(`k${i}`, String(i));
    const members = parseTraceState(many.serialize()) ?? [];
    expect(members).toHaveLength(32);
    expect(members[0]).toEqual({ key: 'k33', value: '33' });
    expect(many.get('k1')).toBeUndefined();
  });

  it('unsets a member', () => {
    expect(state.unset('foo').serialize()).toBe('bar=2');
  });
});
