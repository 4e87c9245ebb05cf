// The legacy Python header reader: exact forms in, ids out; anything else (hostile pickles included) refused.
import { describe, expect, it } from 'vitest';
import { LEGACY_HEADER_MAX_LENGTH, readLegacyTraceInfo, writeLegacyTraceInfo } from '../../src/propagation/legacy-pickle.js';

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

describe('readLegacyTraceInfo', () => {
  it.each([
    ['what Python 2 pickle.dumps((123, 456)) wrote', b64('(I123\nI456\ntp0\n.'), { traceId: '0'.repeat(30) + '7b', spanId: '00000000000001c8' }],
    ['a Python long trace id', b64('(L4611686018427387904L\nI5\ntp0\n.'), { traceId: '0'.repeat(16) + '4000000000000000', spanId: '0000000000000005' }],
    ['the largest 64-bit ids', b64('(L18446744073709551615L\nL18446744073709551615L\ntp1\n.'), { traceId: '0'.repeat(16) + 'ffffffffffffffff', spanId: 'ffffffffffffffff' }],
    ['the real base64 text of (123, 456)', 'KEkxMjMKSTQ1Ngp0cDAKLg==', { traceId: '0'.repeat(30) + '7b', spanId: '00000000000001c8' }],
  ])('reads %s', (_name, header, ids) => {
    expect(readLegacyTraceInfo(header)).toEqual(ids);
  });

  it.each([
    ['an os.system pickle', b64("cos\nsystem\n(S'echo pwned'\ntR.")],
    ['a protocol-2 pickle of the same tuple', Buffer.from([0x80, 0x02, 0x4b, 0x7b, 0x4d, 0xc8, 0x01, 0x86, 0x71, 0x00, 0x2e]).toString('base64')],
    ['a zero trace id', b64('(I0\nI456\ntp0\n.')],
    ['a zero span id', b64('(I123\nI0\ntp0\n.')],
    ['an id above 64 bits', b64('(L18446744073709551616L\nI5\ntp0\n.')],
    ['a 3-tuple', b64('(I1\nI2\nI3\ntp0\n.')],
    ['a negative id', b64('(I-1\nI2\ntp0\n.')],
    ['trailing bytes after the STOP opcode', b64('(I1\nI2\ntp0\n.cos\nsystem\n')],
    ['a 10 KB input', 'A'.repeat(10_240)],
    ['one character over the cap', 'A'.repeat(LEGACY_HEADER_MAX_LENGTH + 4)],
    ['text outside the base64 alphabet', 'KEkxMjMKSTQ1Ngp0cDAKLg=!'],
    ['an empty value', ''],
    ['base64 of nothing useful', 'AAAA'],
  ])('refuses %s', (_name, header) => {
    expect(readLegacyTraceInfo(header)).toBeUndefined();
  });

  it('round-trips 64-bit ids through the legacy form', () => {
    const ids = { traceId: '0000000000000000463ac35c9f6413ad', spanId: 'a2fb4a1d1a96d312' };
    const header = writeLegacyTraceInfo(ids);
    expect(header).toBe(b64('(I5060571933882717101\nI11744061942159299346\ntp0\n.'));
    expect(readLegacyTraceInfo(header ?? '')).toEqual(ids);
  });

  it('has no legacy form for a 128-bit trace id', () => {
    expect(writeLegacyTraceInfo({ traceId: '463ac35c9f6413ad48485a3953bb6124', spanId: 'a2fb4a1d1a96d312' })).toBeUndefined();
  });
});
