// The shared option checks: each options object keeps its own wording, and the checks behave alike for all.
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MILLIS, optionChecks } from '../../src/option-checks.js';

const bare = optionChecks({ prefix: 'configure(): ', integer: 'a whole number' });
const quoted = optionChecks({ prefix: 'traceKnex(): ', quoteNames: true });

function messageOf(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    expect(error).toMatchObject({ name: 'TomographError', code: 'INVALID_OPTION' });
    return (error as Error).message;
  }
  throw new Error('did not throw');
}

describe('option checks', () => {
  it('a whole number falls back when absent and keeps a value within its bounds', () => {
    expect(bare.wholeNumber(undefined, 'n', { min: 1, fallback: 7 })).toBe(7);
    expect(bare.wholeNumber(MAX_TIMER_MILLIS, 'n', { min: 1, max: MAX_TIMER_MILLIS, fallback: 7 })).toBe(2_147_483_647);
  });

  it.each([
    [
      () => bare.wholeNumber(2 ** 31, 'batch.scheduledDelayMillis', { min: 1, max: MAX_TIMER_MILLIS, fallback: 1 }),
      'configure(): batch.scheduledDelayMillis must be a whole number from 1 to 2147483647, got 2147483648',
    ],
    [
      () => quoted.wholeNumber('5', 'maxInFlight', { min: 1, fallback: 1 }),
      `traceKnex(): 'maxInFlight' must be an integer of at least 1, got "5"`,
    ],
    [
      () => quoted.wholeNumber(2 ** 53, 'maxInFlight', { min: 1, fallback: 1 }),
      `traceKnex(): 'maxInFlight' must be an integer of at least 1, got 9007199254740992`,
    ],
    [
      () => quoted.onlyKnownKeys({ asSpan: true }, ['name', 'asSpans']),
      `traceKnex(): unknown option 'asSpan'; expected one of name, asSpans`,
    ],
    [
      () => bare.optionalObject({ urll: 'x' }, 'zipkin', ['url']),
      'configure(): unknown option zipkin.urll; expected one of url',
    ],
    [() => bare.optionalObject([], 'batch'), 'configure(): batch must be an object'],
    [
      () => bare.httpUrl('ftp://x', 'zipkin.url'),
      'configure(): zipkin.url must be an http or https URL, got "ftp://x"',
    ],
    [() => bare.httpUrl(42, 'zipkin.url'), 'configure(): zipkin.url must be an http or https URL, got 42'],
  ])("%# reports in the owner's wording", (check, message) => {
    expect(messageOf(check)).toBe(message);
  });

  it('an http or https URL passes, and an absent one stays absent', () => {
    expect(bare.httpUrl('https://zipkin.example/api/v2/spans', 'url')).toBe('https://zipkin.example/api/v2/spans');
    expect(bare.httpUrl(undefined, 'url')).toBeUndefined();
    expect(bare.optionalObject(undefined, 'batch')).toEqual({});
  });
});
