// addTraceInfoHeader beside a listener on undici's request channel (where @opentelemetry/instrumentation-undici
// injects its own headers): a plain object or fetch Headers gets nothing from it (the legacy X-Trace-Info only when
// asked for) unless asked for 'always'; a
// ClientRequest, which undici never sees, always gets the propagator's headers.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addTraceInfoHeader, start, stop } from 'tomograph';
import { useTracedLoopback } from './loopback.js';

const loopback = useTracedLoopback();
const listener = (): void => undefined;

beforeEach(() => {
  subscribe('undici:request:create', listener);
});
afterEach(() => {
  unsubscribe('undici:request:create', listener);
});

describe('with a listener on undici:request:create', () => {
  it('leaves traceparent of a plain object and of fetch Headers to it, and adds the legacy X-Trace-Info when asked', () => {
    start('client', 'call');
    expect(addTraceInfoHeader({} as Record<string, string>)).toEqual({});
    const plain = addTraceInfoHeader({} as Record<string, string>, { legacyHeader: true });
    expect(Object.keys(plain)).toEqual(['X-Trace-Info']);
    const headers = addTraceInfoHeader(new Headers(), { legacyHeader: true });
    expect([headers.has('x-trace-info'), headers.has('traceparent')]).toEqual([true, false]);
    stop('call');
  });

  it("injects traceparent too with inject: 'always'", () => {
    start('client', 'call');
    const plain = addTraceInfoHeader({} as Record<string, string>, { inject: 'always' });
    expect(plain.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    stop('call');
  });

  it('always injects into a ClientRequest, which undici never sees', async () => {
    let received: string | undefined;
    const server = await loopback.serve((req, res) => {
      received = req.headers.traceparent as string | undefined;
      res.end('ok');
    });
    start('client', 'call');
    await new Promise<void>((resolve, reject) => {
      const request = http.request(server.url, (res) => res.resume().on('end', resolve));
      addTraceInfoHeader(request);
      request.on('error', reject).end();
    });
    stop('call');
    expect(received).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
