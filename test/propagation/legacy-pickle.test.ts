// The legacy Python header reader: exact forms in, ids out; anything else (hostile pickles included) refused.
import { describe, expect, it } from 'vitest';
import {
  LEGACY_HEADER_MAX_LENGTH,
  readLegacyTraceInfo,
  writeLegacyTraceInfo,
} from '../../src/propagation/legacy-pickle.js';

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

// What Python itself wrote for pickle.dumps(pair, protocol), base64-encoded, captured from CPython 2.7.18, 3.6.15,
// 3.11.7 and 3.13.0: the interpreters' defaults are protocol 0 (2.7), 3 (3.0–3.7), 4 (3.8–3.13) and 5 (3.14).
const PYTHON_WROTE: [string, string, { traceId: string; spanId: string }][] = [
  [
    'Python 2.7, protocol 0 (its default)',
    'KEkxMjMKSTQ1Ngp0cDAKLg==',
    { traceId: '0'.repeat(30) + '7b', spanId: '00000000000001c8' },
  ],
  [
    'Python 2.7, protocol 0, 53-bit ids (its getId)',
    'KEk5MDA3MTk5MjU0NzQwOTkxCkk0NTAzNTk5NjI3MzcwNDk1CnRwMAou',
    { traceId: '0'.repeat(16) + '001fffffffffffff', spanId: '000fffffffffffff' },
  ],
  [
    'Python 2.7, protocol 0, longs',
    'KEw5MjIzMzcyMDM2ODU0Nzc1ODA3TApMLTkyMjMzNzIwMzY4NTQ3NzU4MDhMCnRwMAou',
    { traceId: '0'.repeat(16) + '7fffffffffffffff', spanId: '8000000000000000' },
  ],
  ['Python 2.7, protocol 1', 'KEt7TcgBdHEALg==', { traceId: '0'.repeat(30) + '7b', spanId: '00000000000001c8' }],
  [
    'Python 2.7, protocol 2, negative ids',
    'gAJK+////0rU/v//hnEALg==',
    { traceId: '0'.repeat(16) + 'fffffffffffffffb', spanId: 'fffffffffffffed4' },
  ],
  [
    'Python 3.6, protocol 0 (L form)',
    'KEwxMjNMCkw0NTZMCnRwMAou',
    { traceId: '0'.repeat(30) + '7b', spanId: '00000000000001c8' },
  ],
  [
    'Python 3.6, protocol 3 (its default), 53-bit ids',
    'gAOKB////////x+KB////////w+GcQAu',
    { traceId: '0'.repeat(16) + '001fffffffffffff', spanId: '000fffffffffffff' },
  ],
  [
    'Python 3.11, protocol 0, negative ids',
    'KEktNQpJLTMwMAp0cDAKLg==',
    { traceId: '0'.repeat(16) + 'fffffffffffffffb', spanId: 'fffffffffffffed4' },
  ],
  [
    'Python 3.11, protocol 1, mixed forms',
    'KEwxODQ0Njc0NDA3MzcwOTU1MTYxNUwKSwF0cQAu',
    { traceId: '0'.repeat(16) + 'ffffffffffffffff', spanId: '0000000000000001' },
  ],
  ['Python 3.11, protocol 2', 'gAJLe03IAYZxAC4=', { traceId: '0'.repeat(30) + '7b', spanId: '00000000000001c8' }],
  [
    'Python 3.11, protocol 4 (its default)',
    'gASVCAAAAAAAAABLe03IAYaULg==',
    { traceId: '0'.repeat(30) + '7b', spanId: '00000000000001c8' },
  ],
  [
    'Python 3.11, protocol 4, 53-bit ids',
    'gASVFQAAAAAAAACKB////////x+KB////////w+GlC4=',
    { traceId: '0'.repeat(16) + '001fffffffffffff', spanId: '000fffffffffffff' },
  ],
  [
    'Python 3.13, protocol 4, the i64 extremes',
    'gASVFwAAAAAAAACKCP////////9/iggAAAAAAAAAgIaULg==',
    { traceId: '0'.repeat(16) + '7fffffffffffffff', spanId: '8000000000000000' },
  ],
  [
    'Python 3.13, protocol 5, 2^64 - 1 (nine bytes)',
    'gAWVEAAAAAAAAACKCf//////////AEsBhpQu',
    { traceId: '0'.repeat(16) + 'ffffffffffffffff', spanId: '0000000000000001' },
  ],
];

describe('readLegacyTraceInfo', () => {
  it.each(PYTHON_WROTE)('reads what %s wrote', (_name, header, ids) => {
    expect(readLegacyTraceInfo(header)).toEqual(ids);
  });

  it.each([
    [
      'what Python 2 pickle.dumps((123, 456)) wrote',
      b64('(I123\nI456\ntp0\n.'),
      { traceId: '0'.repeat(30) + '7b', spanId: '00000000000001c8' },
    ],
    [
      'a Python long trace id',
      b64('(L4611686018427387904L\nI5\ntp0\n.'),
      { traceId: '0'.repeat(16) + '4000000000000000', spanId: '0000000000000005' },
    ],
    [
      'the largest 64-bit ids',
      b64('(L18446744073709551615L\nL18446744073709551615L\ntp1\n.'),
      { traceId: '0'.repeat(16) + 'ffffffffffffffff', spanId: 'ffffffffffffffff' },
    ],
    [
      'a negative id, as its 64 bits',
      b64('(I-1\nI2\ntp0\n.'),
      { traceId: '0'.repeat(16) + 'ffffffffffffffff', spanId: '0000000000000002' },
    ],
  ])('reads %s', (_name, header, ids) => {
    expect(readLegacyTraceInfo(header)).toEqual(ids);
  });

  const bytes = (...values: number[]) => Buffer.from(values).toString('base64');
  it.each([
    ['an os.system pickle', b64("cos\nsystem\n(S'echo pwned'\ntR.")],
    // Python 3.11's pickle.dumps of an object whose __reduce__ is (os.system, ('id',)), alone and in a pair.
    ['a protocol-4 os.system pickle', 'gASVHQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg=='],
    ['a protocol-4 pair holding an os.system call', 'gASVIQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKUSwGGlC4='],
    ['a zero trace id', b64('(I0\nI456\ntp0\n.')],
    ['a zero span id', b64('(I123\nI0\ntp0\n.')],
    ['a zero id in protocol 2', bytes(0x80, 0x02, 0x4b, 0x00, 0x4b, 0x01, 0x86, 0x71, 0x00, 0x2e)],
    ['an id above 64 bits', b64('(L18446744073709551616L\nI5\ntp0\n.')],
    ['an id below -2^63', b64('(L-9223372036854775809L\nI5\ntp0\n.')],
    ['a 3-tuple', b64('(I1\nI2\nI3\ntp0\n.')],
    ['a 3-tuple in protocol 2', bytes(0x80, 0x02, 0x4b, 0x01, 0x4b, 0x02, 0x4b, 0x03, 0x87, 0x71, 0x00, 0x2e)],
    ['a 1-tuple', b64('(I1\ntp0\n.')],
    ['a list of two ids', b64('(lp0\nI1\naI2\na.')],
    ['booleans (I01)', b64('(I01\nI01\ntp0\n.')],
    ['a float', b64('(F1.5\nI2\ntp0\n.')],
    ['a string id', b64("(S'1'\nI2\ntp0\n.")],
    [
      'a protocol-4 frame whose length lies',
      bytes(0x80, 0x04, 0x95, 0x09, 0, 0, 0, 0, 0, 0, 0, 0x4b, 0x7b, 0x4d, 0xc8, 0x01, 0x86, 0x94, 0x2e),
    ],
    ['protocol 6', bytes(0x80, 0x06, 0x4b, 0x7b, 0x4b, 0x01, 0x86, 0x94, 0x2e)],
    ['LONG1 in a protocol-0/1 pickle', bytes(0x28, 0x8a, 0x01, 0x07, 0x4b, 0x01, 0x74, 0x2e)],
    ['a LONG1 of ten bytes', bytes(0x80, 0x02, 0x8a, 0x0a, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x4b, 0x01, 0x86, 0x2e)],
    ['a LONG1 cut short', bytes(0x80, 0x02, 0x8a, 0x08, 1, 2, 3)],
    ['trailing bytes after the STOP opcode', b64('(I1\nI2\ntp0\n.cos\nsystem\n')],
    ['no STOP opcode', b64('(I1\nI2\ntp0\n')],
    ['a 10 KB input', 'A'.repeat(10_240)],
    ['one character over the cap', 'A'.repeat(LEGACY_HEADER_MAX_LENGTH + 4)],
    ['text outside the base64 alphabet', 'KEkxMjMKSTQ1Ngp0cDAKLg=!'],
    ['an empty value', ''],
    ['base64 of nothing useful', 'AAAA'],
  ])('refuses %s', (_name, header) => {
    expect(readLegacyTraceInfo(header)).toBeUndefined();
  });

  it('round-trips ids through the legacy form, as signed 64-bit integers', () => {
    const ids = { traceId: '0000000000000000463ac35c9f6413ad', spanId: 'a2fb4a1d1a96d312' };
    const header = writeLegacyTraceInfo(ids);
    // a2fb… is above 2^63: written as the negative i64 with its bits, which Thrift (the original's Zipkin) can carry.
    expect(header).toBe(b64('(I5060571933882717101\nI-6702682131550252270\ntp0\n.'));
    expect(readLegacyTraceInfo(header ?? '')).toEqual(ids);
  });

  it('writes the lower 64 bits of a 128-bit trace id, the part Zipkin matches a 64-bit id on', () => {
    const header = writeLegacyTraceInfo({ traceId: '463ac35c9f6413ad48485a3953bb6124', spanId: '0000000000000001' });
    expect(readLegacyTraceInfo(header ?? '')).toEqual({
      traceId: '000000000000000048485a3953bb6124',
      spanId: '0000000000000001',
    });
    expect(
      writeLegacyTraceInfo({ traceId: '463ac35c9f6413ad0000000000000000', spanId: '0000000000000001' }),
    ).toBeUndefined();
  });
});
