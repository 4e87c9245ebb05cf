// The request span belongs to the integration that opened it: a handler that awaits a helper keeps recording on
// it, a user's stop() cannot end it early, and baggage arrives with or without a traceparent beside it.
import { propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator, CompositePropagator } from '@opentelemetry/core';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotate, middleware, setStrictMode, start, stop, tag, traceRequestListener, traced } from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { parentIdOf } from '../support/otel.js';
import { get, useTracedLoopback } from './loopback.js';

const loopback = useTracedLoopback();
const pause = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

async function ended(name: string) {
  for (
    let i = 0;
    i < 200 &&
    !loopback
      .otel()
      .spans()
      .some((s) => s.name === name);
    i++
  )
    await pause(5);
  return loopback
    .otel()
    .spans()
    .filter((s) => s.name === name);
}

async function lookUp(): Promise<void> {
  start('db', 'lookup');
  await pause();
  stop('lookup');
}

let diagnostics: DiagCapture;
beforeEach(() => {
  diagnostics = captureDiag();
});
afterEach(() => {
  setStrictMode(false);
  diagnostics.restore();
});

describe('a handler that awaits a helper', () => {
  it('keeps recording on the request span after the await (traceRequestListener)', async () => {
    const server = await loopback.serve(
      traceRequestListener({ serviceName: 'api', name: 'HTTP' }, async (_req, res) => {
        await lookUp();
        annotate('after lookup');
        tag('items', 3);
        res.end('ok');
      }),
    );
    await get(server.url);
    const [request] = await ended('HTTP');
    expect(request!.events.map((e) => e.name)).toEqual(['after lookup']);
    expect(request!.attributes['items']).toBe(3);
    expect(parentIdOf(loopback.otel().span('lookup'))).toBe(request!.spanContext().spanId);
    expect(diagnostics.warnings()).toEqual([]);
  });

  it('keeps recording on the request span after the await (Express middleware)', async () => {
    const app = express();
    app.use(middleware({ serviceName: 'api', name: 'HTTP' }));
    app.get('/', async (_req, res) => {
      await lookUp();
      annotate('after lookup');
      res.send('ok');
    });
    const server = await loopback.serve(app);
    await get(server.url);
    const [request] = await ended('HTTP');
    expect(request!.events.map((e) => e.name)).toEqual(['after lookup']);
    expect(diagnostics.warnings()).toEqual([]);
  });
});

describe("a user's stop() on an integration's span", () => {
  it('cannot end the request span early: nothing ended, reported, status code kept, no OTel warnings', async () => {
    const server = await loopback.serve(
      traceRequestListener({ serviceName: 'api', name: 'HTTP' }, (_req, res) => {
        stop('HTTP');
        res.statusCode = 503;
        res.end('busy');
      }),
    );
    await get(server.url);
    const [request] = await ended('HTTP');
    expect(request!.attributes['http.response.status_code']).toBe(503);
    expect(request!.status.code).toBe(SpanStatusCode.ERROR);
    expect(diagnostics.warnings()).toEqual([
      "tomograph: stop('HTTP'): that span belongs to traceRequestListener(), which ends it; nothing ended",
    ]);
  });

  it('throws STOP_OWNED_SPAN in strict mode and leaves the span to its owner', async () => {
    setStrictMode(true);
    let thrown: unknown;
    const work = traced(
      'svc',
      'work',
    )(() => {
      try {
        stop('work');
      } catch (error) {
        thrown = error;
      }
      annotate('still open');
    });
    work();
    expect(thrown).toMatchObject({ code: 'STOP_OWNED_SPAN' });
    expect(
      loopback
        .otel()
        .span('work')
        .events.map((e) => e.name),
    ).toEqual(['still open']);
  });

  it("cannot end a user's span from inside a traced function started under it", () => {
    start('svc', 'outer');
    traced('svc', 'inner')(() => stop('outer'))();
    expect(
      loopback
        .otel()
        .spans()
        .map((s) => s.name),
    ).toEqual(['inner']);
    expect(diagnostics.warnings()).toEqual([
      "tomograph: stop('outer'): that span was started outside the span 'inner' of traced() and cannot be ended inside it; nothing ended",
    ]);
    stop('outer');
    expect(
      loopback
        .otel()
        .spans()
        .map((s) => s.name),
    ).toEqual(['inner', 'outer']);
  });
});

describe('baggage', () => {
  beforeEach(() => {
    propagation.disable();
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
  });

  async function baggageSeen(headers: Record<string, string>) {
    let tenant: string | undefined;
    let traceId: string | undefined;
    const server = await loopback.serve(
      traceRequestListener({ serviceName: 'api', name: 'HTTP' }, (_req, res) => {
        tenant = propagation.getActiveBaggage()?.getEntry('tenant')?.value;
        traceId = trace.getActiveSpan()?.spanContext().traceId;
        res.end('ok');
      }),
    );
    await get(server.url, headers);
    return { tenant, traceId };
  }

  it('arrives alone, with no traceparent', async () => {
    expect((await baggageSeen({ baggage: 'tenant=acme' })).tenant).toBe('acme');
  });

  it('arrives beside an invalid (upper-case) traceparent, which starts a new trace', async () => {
    const seen = await baggageSeen({
      baggage: 'tenant=acme',
      traceparent: '00-463AC35C9F6413AD48485A3953BB6124-A2FB4A1D1A96D312-01',
    });
    expect(seen.tenant).toBe('acme');
    expect(seen.traceId).not.toBe('463ac35c9f6413ad48485a3953bb6124');
  });

  it('arrives beside a valid traceparent, which is continued', async () => {
    const seen = await baggageSeen({
      baggage: 'tenant=acme',
      traceparent: '00-463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312-01',
    });
    expect(seen).toEqual({ tenant: 'acme', traceId: '463ac35c9f6413ad48485a3953bb6124' });
  });
});
