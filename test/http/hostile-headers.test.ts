// Hostile trace headers at the HTTP entry points: nothing throws, no invalid id is adopted, and a request
// without a valid parent starts a new root trace. Through startHttp in-process, and through the middleware
// over real HTTP on 127.0.0.1.
import http from 'node:http';
import { propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3Propagator } from '@opentelemetry/propagator-b3';
import { type ReadableSpan } from '../support/sdk-line.js';
import express from 'express';
import { beforeEach, describe, expect, it } from 'vitest';
import { middleware, startHttp, stop } from 'tomograph';
import { hostileHeaderSets, idsAppearIn } from '../support/hostile-headers.js';
import { parentIdOf } from '../support/otel.js';
import { get, useTracedLoopback } from './loopback.js';

const loopback = useTracedLoopback();

function seenNow(): Seen {
  const span = trace.getActiveSpan();
  const sc = span?.spanContext();
  return { traceId: sc?.traceId ?? '', spanId: sc?.spanId ?? '', recording: span?.isRecording() ?? false };
}
beforeEach(() => {
  propagation.disable();
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new B3Propagator()] }),
  );
});

/** What the handler saw as its active span. */
interface Seen {
  traceId: string;
  spanId: string;
  recording: boolean;
}

/**
 * Checks one request's span against the headers it came with; returns whether it continued a caller. A caller
 * that sent an unsampled parent gets a non-recording span (nothing exported) in the caller's trace.
 */
function check(seen: Seen, finished: Map<string, ReadableSpan>, headers: Record<string, string | string[]>): boolean {
  if (!seen.recording) {
    expect(seen.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(Object.values(headers).flat().join('\n')).toContain(seen.traceId.replace(/^0{16}/, ''));
    return true;
  }
  const span = finished.get(seen.spanId);
  expect(span).toBeDefined();
  return checkSpan(span!, headers);
}

function checkSpan(span: ReadableSpan, headers: Record<string, string | string[]>): boolean {
  const parentId = parentIdOf(span);
  const traceId = span.spanContext().traceId;
  expect(traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
  if (parentId === undefined) {
    // A new root: its fresh trace id is none the caller sent.
    expect(idsAppearIn(headers, { traceId, spanId: span.spanContext().spanId })).toBe(false);
    return false;
  }
  expect(parentId).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
  expect(idsAppearIn(headers, { traceId, spanId: parentId })).toBe(true);
  return true;
}

describe('hostile trace headers', () => {
  it('startHttp: 2000 random header sets, each a valid continuation or a new root', () => {
    const sets = hostileHeaderSets(4242);
    const cases: { headers: Record<string, string | string[]>; seen: Seen }[] = [];
    const deadline = Date.now() + 10_000;
    for (let i = 0; i < 2000 && Date.now() < deadline; i++) {
      const headers = sets.next().value as Record<string, string | string[]>;
      startHttp('test server', 'fuzz', { headers, method: 'GET' }, { legacyHeader: i % 2 === 0 });
      cases.push({ headers, seen: seenNow() });
      stop('fuzz');
    }
    expect(cases).toHaveLength(2000);
    const finished = new Map(
      loopback
        .otel()
        .spans()
        .map((s) => [s.spanContext().spanId, s]),
    );
    const continued = cases.filter(({ headers, seen }) => check(seen, finished, headers)).length;
    expect(continued).toBeGreaterThan(200);
    expect(2000 - continued).toBeGreaterThan(200);
  });

  it('middleware: 300 requests with random sendable headers over one keep-alive connection', async () => {
    const app = express();
    app.use(middleware({ serviceName: 'test server', name: 'fuzz', legacyHeader: true }));
    app.get('/', (_req, res) => {
      res.json(seenNow());
    });
    const server = await loopback.serve(app);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sets = hostileHeaderSets(777, { http: true });
    const cases: { headers: Record<string, string | string[]>; seen: Seen }[] = [];
    for (let i = 0; i < 300; i++) {
      const headers = sets.next().value as Record<string, string | string[]>;
      const reply = await get(server.url, headers, agent);
      expect(reply.status).toBe(200);
      cases.push({ headers, seen: JSON.parse(reply.body) as Seen });
    }
    agent.destroy();
    const recording = cases.filter((c) => c.seen.recording).length;
    for (let i = 0; i < 200 && loopback.otel().spans().length < recording; i++)
      await new Promise((r) => setTimeout(r, 5));
    const finished = new Map(
      loopback
        .otel()
        .spans()
        .map((s) => [s.spanContext().spanId, s]),
    );
    expect(finished.size).toBe(recording);
    const continued = cases.filter(({ headers, seen }) => check(seen, finished, headers)).length;
    expect(continued).toBeGreaterThan(30);
    expect(300 - continued).toBeGreaterThan(30);
  });
});
