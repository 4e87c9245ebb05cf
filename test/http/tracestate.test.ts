// Level 2 tracestate over real HTTP on 127.0.0.1: what a traced server receives in `tracestate` and forwards on its
// own outgoing calls (addTraceInfoHeader), for every W3C suite case, through traceRequestListener, middleware and
// startHttp, with tomograph's propagator and with the stock W3C one registered.
import { propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import express from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addTraceInfoHeader, createPropagator, middleware, startHttp, stop, traceRequestListener } from 'tomograph';
import { parseTraceState } from '../../src/propagation/tracestate.js';
import { TRACESTATE_CASES } from '../propagation/tracestate-cases.js';
import { get, useTracedLoopback } from './loopback.js';

const TRACE = '12345678901234567890123456789012';
const TRACEPARENT = `00-${TRACE}-1234567890123456-00`;

const loopback = useTracedLoopback();

/** Answers with the headers the server would send on a call of its own, as the W3C suite's test service does. */
function forwardHeaders(_request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(addTraceInfoHeader({})));
}

async function forwarded(url: string, headers: Record<string, string | string[]>): Promise<Record<string, string>> {
  const reply = await get(url, headers);
  expect(reply.status).toBe(200);
  return JSON.parse(reply.body) as Record<string, string>;
}

/** The members a forwarded `tracestate` holds, in order, or null when none was forwarded. */
function membersOf(out: Record<string, string>): Array<[string, string]> | null {
  if (out.tracestate === undefined) return null;
  return (parseTraceState(out.tracestate) ?? []).map((m) => [m.key, m.value]);
}

describe.each([
  ["tomograph's propagator", () => createPropagator({ formats: ['w3c'] })],
  ['the stock W3C propagator', () => new W3CTraceContextPropagator()],
])('traceRequestListener with %s registered', (_name, makePropagator) => {
  it.each(TRACESTATE_CASES.map((c) => [c.name, c] as const))('forwards %s', async (_case, { lines, forwards }) => {
    propagation.disable();
    propagation.setGlobalPropagator(makePropagator());
    const server = await loopback.serve(traceRequestListener({ serviceName: 'svc' }, forwardHeaders));
    const out = await forwarded(server.url, { traceparent: TRACEPARENT, tracestate: [...lines] });
    expect(out.traceparent).toMatch(new RegExp(`^00-${TRACE}-(?!1234567890123456)[0-9a-f]{16}-00$`));
    expect(membersOf(out)).toEqual(forwards === null ? null : forwards.map(([k, v]) => [k, v]));
  });
});

describe('tracestate over HTTP, beyond the member grammar', () => {
  it('reads the header name in any case, and no header of another name', async () => {
    const server = await loopback.serve(traceRequestListener({ serviceName: 'svc' }, forwardHeaders));
    for (const name of ['TraceState', 'TrAcEsTaTe', 'TRACESTATE']) {
      expect(membersOf(await forwarded(server.url, { traceparent: TRACEPARENT, [name]: 'foo=1' }))).toEqual([
        ['foo', '1'],
      ]);
    }
    for (const name of ['trace-state', 'trace.state']) {
      expect(membersOf(await forwarded(server.url, { traceparent: TRACEPARENT, [name]: 'foo=1' }))).toBeNull();
    }
  });

  it('discards a tracestate that comes without a traceparent, or with an invalid one', async () => {
    const server = await loopback.serve(traceRequestListener({ serviceName: 'svc' }, forwardHeaders));
    const cases: Array<Record<string, string>> = [
      { tracestate: 'foo=1,bar=2' },
      { traceparent: `00-${'0'.repeat(32)}-1234567890123456-01`, tracestate: 'foo=1' },
    ];
    for (const headers of cases) {
      const out = await forwarded(server.url, headers);
      expect(out.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      expect(out.traceparent).not.toContain(TRACE);
      expect(out.tracestate).toBeUndefined();
    }
  });

  it('forwards a Level 2 tracestate through the Express middleware and startHttp', async () => {
    const app = express();
    app.use(middleware({ serviceName: 'svc' }));
    app.get('/middleware', (req, res) => forwardHeaders(req, res));
    app.get('/start-http', (req, res) => {
      startHttp('svc', 'legacy', req);
      forwardHeaders(req, res);
      stop('legacy');
    });
    const server = await loopback.serve(app);
    for (const path of ['/middleware', '/start-http']) {
      const out = await forwarded(`${server.url}${path}`, {
        traceparent: TRACEPARENT,
        tracestate: ['foo@bar@baz=1', `${'z'.repeat(256)}=2`],
      });
      expect(membersOf(out)).toEqual([
        ['foo@bar@baz', '1'],
        ['z'.repeat(256), '2'],
      ]);
    }
  });
});
