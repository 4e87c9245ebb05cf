// The `tracestate` cases of the W3C Trace Context test suite (w3c/trace-context test/test.py, Level 2 key grammar
// of 2026-06-30, strictness 2), restated as data from the suite's expectations so that a fresh clone checks them
// without the suite. Each case: the tracestate header lines a caller sends (with a valid traceparent), and the
// members a service must forward, in order, or `null` when it must discard the whole header.

export interface TraceStateCase {
  /** The suite's test and what the case checks. */
  readonly name: string;
  /** One entry per header line. */
  readonly lines: readonly string[];
  readonly forwards: ReadonlyArray<readonly [string, string]> | null;
}

const KEY_WITHOUT_VENDOR = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
const KEY_WITH_VENDOR = `${KEY_WITHOUT_VENDOR}@a-z0-9_-*/`;
// Every character a value may hold: 0x20-0x2B, 0x2D-0x3C, 0x3E-0x7E (no ',' and no '='), ending in a non-space.
const ALL_VALUE_CHARACTERS = [
  [0x20, 0x2b],
  [0x2d, 0x3c],
  [0x3e, 0x7e],
]
  .flatMap(([from, to]) => Array.from({ length: to! - from! + 1 }, (_, i) => String.fromCharCode(from! + i)))
  .join('');
const numbered = (from: number, to: number) =>
  Array.from(
    { length: to - from + 1 },
    (_, i) => `bar${String(from + i).padStart(2, '0')}=${String(from + i).padStart(2, '0')}`,
  ).join(',');
const BAR_MEMBERS = (count: number): Array<readonly [string, string]> =>
  Array.from(
    { length: count },
    (_, i) => [`bar${String(i + 1).padStart(2, '0')}`, String(i + 1).padStart(2, '0')] as const,
  );

export const TRACESTATE_CASES: readonly TraceStateCase[] = [
  {
    name: 'included_traceparent_included: both members inherited',
    lines: ['foo=1,bar=2'],
    forwards: [
      ['foo', '1'],
      ['bar', '2'],
    ],
  },
  { name: 'empty_header: an empty header is discarded', lines: [''], forwards: null },
  { name: 'empty_header: an empty line after a member', lines: ['foo=1', ''], forwards: [['foo', '1']] },
  { name: 'empty_header: an empty line before a member', lines: ['', 'foo=1'], forwards: [['foo', '1']] },
  {
    name: 'multiple_headers_different_keys: one list, in order',
    lines: ['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'],
    forwards: [
      ['foo', '1'],
      ['bar', '2'],
      ['rojo', '1'],
      ['congo', '2'],
      ['baz', '3'],
    ],
  },
  { name: 'duplicated_keys: the same member twice', lines: ['foo=1,foo=1'], forwards: [['foo', '1']] },
  { name: 'duplicated_keys: a key twice, the first kept', lines: ['foo=1,foo=2'], forwards: [['foo', '1']] },
  { name: 'duplicated_keys: the same member on two lines', lines: ['foo=1', 'foo=1'], forwards: [['foo', '1']] },
  { name: 'duplicated_keys: a key on two lines, the first kept', lines: ['foo=1', 'foo=2'], forwards: [['foo', '1']] },
  {
    name: 'all_allowed_characters: key without @',
    lines: [`${KEY_WITHOUT_VENDOR}=${ALL_VALUE_CHARACTERS}`],
    forwards: [[KEY_WITHOUT_VENDOR, ALL_VALUE_CHARACTERS]],
  },
  {
    name: 'all_allowed_characters: key with @',
    lines: [`${KEY_WITH_VENDOR}=${ALL_VALUE_CHARACTERS}`],
    forwards: [[KEY_WITH_VENDOR, ALL_VALUE_CHARACTERS]],
  },
  {
    name: 'ows_handling: spaces and tabs around commas',
    lines: ['foo=1 \t , \t bar=2, \t baz=3'],
    forwards: [
      ['foo', '1'],
      ['bar', '2'],
      ['baz', '3'],
    ],
  },
  {
    name: 'ows_handling: tabs and spaces around commas',
    lines: ['foo=1\t \t,\t \tbar=2,\t \tbaz=3'],
    forwards: [
      ['foo', '1'],
      ['bar', '2'],
      ['baz', '3'],
    ],
  },
  { name: 'ows_handling: a leading space', lines: [' foo=1'], forwards: [['foo', '1']] },
  { name: 'ows_handling: a leading tab', lines: ['\tfoo=1'], forwards: [['foo', '1']] },
  { name: 'ows_handling: a trailing space', lines: ['foo=1 '], forwards: [['foo', '1']] },
  { name: 'ows_handling: a trailing tab', lines: ['foo=1\t'], forwards: [['foo', '1']] },
  { name: 'ows_handling: both ends', lines: ['\t foo=1 \t'], forwards: [['foo', '1']] },
  { name: 'key_illegal_characters: a space in the key', lines: ['foo =1'], forwards: null },
  { name: 'key_illegal_characters: upper case', lines: ['FOO=1'], forwards: null },
  { name: 'key_illegal_characters: a dot', lines: ['foo.bar=1'], forwards: null },
  {
    name: 'key_illegal_vendor_format: a key ending in @',
    lines: ['foo@=1,bar=2'],
    forwards: [
      ['foo@', '1'],
      ['bar', '2'],
    ],
  },
  { name: 'key_illegal_vendor_format: a key starting with @ discards all', lines: ['@foo=1,bar=2'], forwards: null },
  {
    name: 'key_illegal_vendor_format: two @ in a row',
    lines: ['foo@@bar=1,bar=2'],
    forwards: [
      ['foo@@bar', '1'],
      ['bar', '2'],
    ],
  },
  {
    name: 'key_illegal_vendor_format: two @ apart',
    lines: ['foo@bar@baz=1,bar=2'],
    forwards: [
      ['foo@bar@baz', '1'],
      ['bar', '2'],
    ],
  },
  {
    name: 'member_count_limit: 32 members over four lines',
    lines: [numbered(1, 10), numbered(11, 20), numbered(21, 30), numbered(31, 32)],
    forwards: BAR_MEMBERS(32),
  },
  {
    name: 'member_count_limit: 33 members discard all',
    lines: [numbered(1, 10), numbered(11, 20), numbered(21, 30), numbered(31, 33)],
    forwards: null,
  },
  {
    name: 'key_length_limit: a key of 256 characters',
    lines: ['foo=1', `${'z'.repeat(256)}=1`],
    forwards: [
      ['foo', '1'],
      ['z'.repeat(256), '1'],
    ],
  },
  {
    name: 'key_length_limit: a key of 257 characters discards all',
    lines: ['foo=1', `${'z'.repeat(257)}=1`],
    forwards: null,
  },
  {
    name: 'key_length_limit: 241 + @ + 14',
    lines: ['foo=1', `${'t'.repeat(241)}@${'v'.repeat(14)}=1`],
    forwards: [
      ['foo', '1'],
      [`${'t'.repeat(241)}@${'v'.repeat(14)}`, '1'],
    ],
  },
  {
    name: 'key_length_limit: 242 + @v',
    lines: ['foo=1', `${'t'.repeat(242)}@v=1`],
    forwards: [
      ['foo', '1'],
      [`${'t'.repeat(242)}@v`, '1'],
    ],
  },
  {
    name: 'key_length_limit: t@ + 15',
    lines: ['foo=1', `t@${'v'.repeat(15)}=1`],
    forwards: [
      ['foo', '1'],
      [`t@${'v'.repeat(15)}`, '1'],
    ],
  },
  { name: 'value_illegal_characters: an = in the value', lines: ['foo=bar=baz'], forwards: null },
  { name: 'value_illegal_characters: an empty value discards all', lines: ['foo=,bar=3'], forwards: null },
];
