// A mixed fleet over real HTTP on 127.0.0.1: this package and an unmodified original Python service (its WSGI
// Middleware, run by Debian's python3), calling each other in both directions.
import { trace } from '@opentelemetry/api';
import { addTraceInfoHeader, getTraceInfo, start, stop, traceRequestListener } from 'tomograph';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { get, listen, type LoopbackServer } from '../http/loopback.js';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';
import {
  captureUdp,
  checkPython,
  idBits,
  startOriginalServer,
  type OriginalServer,
  type UdpCapture,
} from './original.js';

let python: OriginalServer;
let statsd: UdpCapture;
let otel: OtelHarness;
let node: LoopbackServer | undefined;

beforeAll(async () => {
  checkPython();
  statsd = await captureUdp();
  python = await startOriginalServer({ statsdPort: statsd.port, serviceName: 'glance-registry', name: 'WSGI' });
}, 60_000);
afterAll(async () => {
  await python?.close();
  await statsd?.close();
});
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await node?.close();
  node = undefined;
  await otel.teardown();
});

/**
 * The spans the Python service sent since `before` was read. Reading is itself a traced request, whose span the
 * original sends after the answer is made: the first span after `before` is that read's own, and is skipped.
 */
async function pythonSpansAfter(before: number) {
  return (await python.spans()).slice(before + 1);
}

describe('from this package to an unmodified original service', () => {
  it('by default the request succeeds: no X-Trace-Info is sent, and the service starts a trace of its own', async () => {
    const before = (await python.spans()).length;
    start('nova api', 'call registry');
    const headers = addTraceInfoHeader({});
    const reply = await get(`${python.url}/`, headers);
    stop('call registry');

    expect(reply.status).toBe(200);
    expect(Object.keys(headers)).toEqual(['traceparent']);
    const [served] = await pythonSpansAfter(before);
    expect(served).toMatchObject({ name: 'WSGI', parentId: null, encodable: true });
  });

  it('why the default sends none: the original unpickles any X-Trace-Info, and answers 500 to one it cannot read', async () => {
    start('nova api', 'call registry');
    const reply = await get(`${python.url}/`, { 'X-Trace-Info': getTraceInfo() ?? '' });
    stop('call registry');
    expect(reply.status).toBe(500);
  });

  it('with legacyHeader the service continues the trace: same lower 64 bits, the client span as parent, ids its Zipkin backend can encode', async () => {
    const before = (await python.spans()).length;
    start('nova api', 'call registry');
    const reply = await get(`${python.url}/`, addTraceInfoHeader({}, { legacyHeader: true }));
    stop('call registry');

    expect(reply.status).toBe(200);
    const client = otel.span('call registry').spanContext();
    const [served] = await pythonSpansAfter(before);
    expect(served).toMatchObject({ name: 'WSGI', encodable: true });
    expect([idBits(served!.traceId), idBits(served!.parentId!)]).toEqual([client.traceId.slice(16), client.spanId]);
  });

  it('with legacyHeader, through many random ids, every one reaches the service and fits a Thrift i64', async () => {
    const before = (await python.spans()).length;
    for (let i = 0; i < 20; i += 1) {
      start('nova api', 'call registry');
      expect((await get(`${python.url}/`, addTraceInfoHeader({}, { legacyHeader: true }))).status).toBe(200);
      stop('call registry');
    }
    const served = await pythonSpansAfter(before);
    const clients = otel
      .spans()
      .filter((s) => s.name === 'call registry')
      .map((s) => s.spanContext());
    expect(served.map((s) => [s.encodable, idBits(s.traceId), idBits(s.parentId!)])).toEqual(
      clients.map((c) => [true, c.traceId.slice(16), c.spanId]),
    );
    // Half of all random ids are at or above 2^63, which a Thrift i64 holds only as the negative number with those
    // bits.
    const high = (hex: string) => BigInt(`0x${hex}`) >= 1n << 63n;
    expect(clients.some((c) => high(c.spanId)) && clients.some((c) => high(c.traceId.slice(16)))).toBe(true);
  });
});

describe('from an unmodified original service to this package (legacyHeader on the server side)', () => {
  async function nodeServer(): Promise<LoopbackServer> {
    node = await listen(
      traceRequestListener({ serviceName: 'nova api', name: 'HTTP', legacyHeader: true }, (_req, res) => {
        res.end('ok');
      }),
    );
    return node;
  }

  // 0: Python 2's default (and what it wrote for every version of the original); 3: Python 3.0-3.7's; 4: 3.8-3.13's
  // (the interpreter here, when no protocol is given); 5: Python 3.14's.
  it.each([0, 1, 2, 3, 4, 5, undefined])(
    'continues the trace of the header the original writes with pickle protocol %s',
    async (protocol) => {
      const server = await nodeServer();
      const before = (await python.spans()).length;
      const reply = await get(
        `${python.url}/call?port=${server.port}${protocol === undefined ? '' : `&protocol=${protocol}`}`,
      );
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ status: 200 });

      const [caller] = await pythonSpansAfter(before);
      const served = otel.span('HTTP');
      expect(served.spanContext().traceId).toBe(`${'0'.repeat(16)}${idBits(caller!.traceId)}`);
      expect(parentIdOf(served)).toBe(idBits(caller!.id));
    },
  );

  it('a round trip this package → the original → this package stays one trace (on its lower 64 bits), parent by parent', async () => {
    const server = await nodeServer();
    const before = (await python.spans()).length;
    start('gateway', 'request');
    const reply = await get(`${python.url}/call?port=${server.port}`, addTraceInfoHeader({}, { legacyHeader: true }));
    stop('request');
    expect(reply.status).toBe(200);

    const gateway = otel.span('request').spanContext();
    const [middle] = await pythonSpansAfter(before);
    const back = otel.span('HTTP');
    expect(idBits(middle!.parentId!)).toBe(gateway.spanId);
    expect(idBits(middle!.traceId)).toBe(gateway.traceId.slice(16));
    expect(back.spanContext().traceId.slice(16)).toBe(gateway.traceId.slice(16));
    expect(parentIdOf(back)).toBe(idBits(middle!.id));
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
