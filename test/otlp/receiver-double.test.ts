// The receiver double refuses what a strict OTLP receiver refuses, so that a 200 from it means something.
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportTraceServiceRequest } from '../support/otlp-proto.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.stop());

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

function jsonRequest(
  span: Record<string, unknown>,
  resource: unknown = { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
) {
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'test' }, spans: [span] }] }] };
}
const VALID_SPAN = {
  traceId: TRACE,
  spanId: SPAN,
  name: 'op',
  kind: 2,
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000000001000000',
  status: { code: 0 },
};

async function post(body: string | Uint8Array, contentType: string): Promise<{ status: number; text: string }> {
  const response = await fetch(receiver.tracesUrl, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, text: await response.text() };
}

describe('the OTLP receiver double', () => {
  it('accepts a valid OTLP/JSON request and reads its span', async () => {
    const before = receiver.spans.length;
    expect(await post(JSON.stringify(jsonRequest(VALID_SPAN)), 'application/json')).toEqual({
      status: 200,
      text: '{}',
    });
    expect(receiver.spans.slice(before)).toMatchObject([
      { service: 'svc', traceId: TRACE, spanId: SPAN, kind: 2, startTimeUnixNano: 1700000000000000000n },
    ]);
  });

  it.each([
    [
      'base64 ids instead of hex',
      { traceId: Buffer.from(TRACE, 'hex').toString('base64') },
      /traceId: must be 32 lower-case hex/,
    ],
    ['upper-case hex ids', { spanId: SPAN.toUpperCase() }, /spanId: must be 16 lower-case hex/],
    ['an enum as its name', { kind: 'SPAN_KIND_SERVER' }, /kind: enum must be an integer/],
    ['an enum value that does not exist', { kind: 9 }, /9 is not a value of SpanKind/],
    [
      'a time as a non-numeric string',
      { startTimeUnixNano: '17e17' },
      /startTimeUnixNano: fixed64 must be a decimal string/,
    ],
    [
      'a time past what a JSON number holds exactly',
      { startTimeUnixNano: 1700000000000000000 },
      /startTimeUnixNano: fixed64 must be a decimal string/,
    ],
    ['a snake_case key', { start_time_unix_nano: '1' }, /no such field .*lowerCamelCase/],
    ['a field the definitions do not have', { serviceName: 'svc' }, /serviceName: no such field/],
    ['an all-zero trace id', { traceId: '0'.repeat(32) }, /invalid traceId/],
    ['an end before the start', { endTimeUnixNano: '1' }, /times/],
  ])('refuses OTLP/JSON with %s', async (_name, change, reason) => {
    const reply = await post(JSON.stringify(jsonRequest({ ...VALID_SPAN, ...change })), 'application/json');
    expect(reply.status).toBe(400);
    expect(reply.text).toMatch(reason);
  });

  it('refuses an attribute value that sets two members of its oneof', async () => {
    const span = { ...VALID_SPAN, attributes: [{ key: 'k', value: { stringValue: 'a', intValue: '1' } }] };
    expect((await post(JSON.stringify(jsonRequest(span)), 'application/json')).text).toMatch(
      /more than one of oneof value/,
    );
  });

  it('accepts a valid protobuf request and refuses one with a field the definitions do not have', async () => {
    const message = ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [{ ...VALID_SPAN, traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.from(SPAN, 'hex') }] },
          ],
        },
      ],
    });
    const valid = ExportTraceServiceRequest.encode(message).finish();
    expect((await post(valid, 'application/x-protobuf')).status).toBe(200);
    // The same request with an extra varint field 99 (a 2-byte tag, a 1-byte value) on it.
    const extra = protobuf.Writer.create()
      .uint32((99 << 3) | 0)
      .uint32(1)
      .finish();
    const reply = await post(Buffer.concat([valid, extra]), 'application/x-protobuf');
    expect(reply).toEqual({ status: 400, text: '3 byte(s) of fields the definitions do not have' });
  });

  it('refuses a body that is not protobuf, and an unknown content type', async () => {
    expect((await post(Buffer.from([0xff, 0xff, 0xff]), 'application/x-protobuf')).text).toMatch(
      /not an ExportTraceServiceRequest/,
    );
    expect((await post('{}', 'text/plain')).text).toMatch(/unsupported content type/);
  });
});
