// extractParent: which header wins, the exact forms accepted, and a fuzz run of hostile headers.
import { propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingHeadersSetter } from '../../src/propagation/carriers.js';
import { extractParent, isStrictSpanContext } from '../../src/propagation/extract.js';
import { writeLegacyTraceInfo } from '../../src/propagation/legacy-pickle.js';
import { hostileHeaderSets, idsAppearIn } from '../support/hostile-headers.js';

const TRACE = '463ac35c9f6413ad48485a3953bb6124';
const SPAN = 'a2fb4a1d1a96d312';
const TRACE64 = '463ac35c9f6413ad';
const TOKEN = `00-${TRACE}-${SPAN}-01`;

beforeAll(() => {
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [
        new W3CTraceContextPropagator(),
        new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
      ],
    }),
  );
});
afterAll(() => propagation.disable());

function parentOf(headers: Record<string, string | string[]>, legacyHeader = false) {
  const { context, source } = extractParent(headers, { legacyHeader });
  const sc = trace.getSpanContext(context);
  return { source, ids: sc === undefined ? undefined : `${sc.traceId}/${sc.spanId}/${sc.traceFlags}` };
}

describe('extractParent', () => {
  it.each([
    ['a W3C traceparent', { traceparent: TOKEN }, 'propagator', `${TRACE}/${SPAN}/1`],
    ['a B3 single header', { b3: `${TRACE}-${SPAN}-1` }, 'propagator', `${TRACE}/${SPAN}/1`],
    [
      'a 64-bit B3 single header, padded',
      { b3: `${TRACE64}-${SPAN}-0` },
      'propagator',
      `${'0'.repeat(16)}${TRACE64}/${SPAN}/0`,
    ],
    [
      'B3 multi headers',
      { 'x-b3-traceid': TRACE64, 'x-b3-spanid': SPAN, 'x-b3-sampled': '1' },
      'propagator',
      `${'0'.repeat(16)}${TRACE64}/${SPAN}/1`,
    ],
    ['the X-Trace-Info token', { 'x-trace-info': TOKEN }, 'x-trace-info', `${TRACE}/${SPAN}/1`],
    ['the X-Trace-Info token in another case', { 'X-Trace-Info': TOKEN }, 'x-trace-info', `${TRACE}/${SPAN}/1`],
    [
      'traceparent before X-Trace-Info',
      { traceparent: TOKEN, 'x-trace-info': `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` },
      'propagator',
      `${TRACE}/${SPAN}/1`,
    ],
    [
      'X-Trace-Info when traceparent is malformed',
      { traceparent: 'junk', 'x-trace-info': TOKEN },
      'x-trace-info',
      `${TRACE}/${SPAN}/1`,
    ],
    ['nothing from no headers', {}, 'none', undefined],
    [
      'nothing from upper-case B3 multi ids',
      { 'x-b3-traceid': TRACE64.toUpperCase(), 'x-b3-spanid': SPAN.toUpperCase() },
      'none',
      undefined,
    ],
    ['nothing from a B3 single id inside garbage', { b3: `zz${TRACE}-${SPAN}-1zz` }, 'none', undefined],
    ['nothing from an all-zero traceparent', { traceparent: `00-${'0'.repeat(32)}-${SPAN}-01` }, 'none', undefined],
    ['nothing from an all-zero B3 trace id', { b3: `${'0'.repeat(32)}-${SPAN}-1` }, 'none', undefined],
    ['nothing from a repeated traceparent', { traceparent: [TOKEN, TOKEN] }, 'none', undefined],
    [
      'nothing from the legacy header when it is not enabled',
      { 'x-trace-info': writeLegacyTraceInfo({ traceId: TRACE64, spanId: SPAN }) ?? '' },
      'none',
      undefined,
    ],
  ])('reads %s', (_name, headers, source, ids) => {
    expect(parentOf(headers)).toEqual({ source, ids });
  });

  it('reads the legacy Python header only when enabled, as a sampled remote parent', () => {
    const header = writeLegacyTraceInfo({ traceId: TRACE64, spanId: SPAN }) ?? '';
    expect(parentOf({ 'x-trace-info': header }, true)).toEqual({
      source: 'legacy',
      ids: `${'0'.repeat(16)}${TRACE64}/${SPAN}/1`,
    });
    const { context } = extractParent({ 'x-trace-info': header }, { legacyHeader: true });
    expect(trace.getSpanContext(context)?.isRemote).toBe(true);
  });

  it('round-trips 64-bit legacy and B3 ids: what comes in goes out as the same 64-bit id', () => {
    for (const headers of [
      { 'x-b3-traceid': TRACE64, 'x-b3-spanid': SPAN, 'x-b3-sampled': '1' },
      { 'x-trace-info': writeLegacyTraceInfo({ traceId: TRACE64, spanId: SPAN }) ?? '' },
    ]) {
      const { context } = extractParent(headers, { legacyHeader: true });
      const out: Record<string, string> = {};
      propagation.inject(context, out, outgoingHeadersSetter);
      expect(out['x-b3-traceid']).toBe(`${'0'.repeat(16)}${TRACE64}`);
      expect(BigInt(`0x${out['x-b3-traceid']}`)).toBe(BigInt(`0x${TRACE64}`));
      expect(out['x-b3-spanid']).toBe(SPAN);
      expect(out.traceparent).toBe(`00-${'0'.repeat(16)}${TRACE64}-${SPAN}-01`);
      expect(writeLegacyTraceInfo({ traceId: out['x-b3-traceid'] ?? '', spanId: SPAN })).toBe(
        writeLegacyTraceInfo({ traceId: TRACE64, spanId: SPAN }),
      );
    }
  });
});

describe('extractParent on hostile headers', () => {
  it('never throws nor adopts an id that is not exactly in a valid header, over 6000 random header sets', () => {
    const sets = hostileHeaderSets(20261123);
    const deadline = Date.now() + 10_000;
    let adopted = 0;
    let cases = 0;
    for (; cases < 6000 && Date.now() < deadline; cases++) {
      const headers = sets.next().value as Record<string, string | string[]>;
      const { context, source } = extractParent(headers, { legacyHeader: cases % 2 === 0 });
      const sc = trace.getSpanContext(context);
      if (source === 'none') {
        expect(sc).toBeUndefined();
        continue;
      }
      adopted++;
      expect(isStrictSpanContext(sc)).toBe(true);
      expect(idsAppearIn(headers, sc!)).toBe(true);
    }
    expect(cases).toBe(6000);
    // The run must exercise both outcomes, or it proves nothing.
    expect(adopted).toBeGreaterThan(500);
    expect(cases - adopted).toBeGreaterThan(500);
  });
});
