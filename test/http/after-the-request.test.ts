// Work a request or a traced call captured stays in its trace after its span ended, as plain OpenTelemetry keeps
// an ended span as the parent of work captured inside it: work after the response, after the client disconnected,
// the ticks of a timer started in a request, a task a traced call left running. With and without
// @opentelemetry/instrumentation-http (the plain run comes first: the instrumentation patches node:http for good).
import http from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerHttpInstrumentation } from '../support/http-instrumentation.js';
import { annotate, middleware, start, stop, tag, traceRequestListener, traced } from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';
import { get, listen, type LoopbackServer } from './loopback.js';

const pause = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['without', 'with'] as const)('%s instrumentation-http', (mode) => {
  let otel: OtelHarness;
  let unregister = () => {};
  let server: LoopbackServer | undefined;
  let diagnostics: DiagCapture;
  beforeAll(() => {
    otel = setupOtel();
    if (mode === 'with') {
      unregister = registerHttpInstrumentation();
    }
    diagnostics = captureDiag();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    otel.reset();
    diagnostics.messages.length = 0;
  });
  afterAll(async () => {
    diagnostics.restore();
    unregister();
    await otel.teardown();
  });

  async function finished(name: string, count = 1) {
    for (let i = 0; i < 400 && otel.spans().filter((s) => s.name === name).length < count; i++) await pause(5);
    return otel.spans().filter((s) => s.name === name);
  }

  /** Expects every span named in `names` to be a child of the one request span, in its trace. */
  async function expectUnderRequest(names: string[]) {
    const [request] = await finished('HTTP');
    // Under the instrumentation the request span continues its server span; without it, the request is a root.
    const isHttpServer = (s: ReturnType<OtelHarness['spans']>[number]) =>
      s.instrumentationScope.name === '@opentelemetry/instrumentation-http' && s.kind === SpanKind.SERVER;
    for (let i = 0; mode === 'with' && i < 400 && !otel.spans().some(isHttpServer); i++) await pause(5);
    const httpServer = otel.spans().find(isHttpServer);
    expect(parentIdOf(request!)).toBe(mode === 'with' ? httpServer!.spanContext().spanId : undefined);
    for (const name of names) {
      const [span] = await finished(name);
      expect([span?.spanContext().traceId, parentIdOf(span!)], name).toEqual([
        request!.spanContext().traceId,
        request!.spanContext().spanId,
      ]);
    }
    return request!;
  }

  it("keeps work after the response in the request span's trace (middleware)", async () => {
    let done!: () => void;
    const after = new Promise<void>((resolve) => (done = resolve));
    const app = express();
    app.use(middleware({ serviceName: 'api', name: 'HTTP' }));
    app.get('/', async (_req, res) => {
      res.send('ok');
      await pause(10);
      start('api', 'after response');
      annotate('sent the receipt');
      stop('after response');
      otel.tracer.startSpan('native after response').end();
      done();
    });
    server = await listen(app);
    expect((await get(server.url)).status).toBe(200);
    await after;
    await expectUnderRequest(['after response', 'native after response']);
    expect((await finished('after response'))[0]!.events.map((e) => e.name)).toEqual(['sent the receipt']);
  });

  it("keeps work after the client disconnected in the request span's trace (traceRequestListener)", async () => {
    let done!: () => void;
    const after = new Promise<void>((resolve) => (done = resolve));
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    server = await listen(
      traceRequestListener({ serviceName: 'api', name: 'HTTP' }, async (_req, res) => {
        const closed = new Promise((resolve) => res.once('close', resolve));
        arrived();
        await closed;
        start('api', 'after disconnect');
        stop('after disconnect');
        done();
      }),
    );
    const client = http.get(server.url);
    client.on('error', () => {});
    await reached;
    client.destroy();
    await after;
    const request = await expectUnderRequest(['after disconnect']);
    expect(request.events.map((e) => e.name)).toContain('connection closed early');
  });

  it('keeps every tick of a timer started in a request in its trace', async () => {
    const TICKS = 5;
    let done!: () => void;
    const ticked = new Promise<void>((resolve) => (done = resolve));
    server = await listen(
      traceRequestListener({ serviceName: 'api', name: 'HTTP' }, (_req, res) => {
        let ticks = 0;
        const timer = setInterval(() => {
          start('api', 'tick');
          stop('tick');
          otel.tracer.startSpan('native tick').end();
          if (++ticks === TICKS) {
            clearInterval(timer);
            done();
          }
        }, 2);
        res.end('ok');
      }),
    );
    await get(server.url);
    await ticked;
    const [request] = await finished('HTTP');
    for (const name of ['tick', 'native tick']) {
      const spans = await finished(name, TICKS);
      expect(
        spans.map((s) => [s.spanContext().traceId, parentIdOf(s)]),
        name,
      ).toEqual(Array(TICKS).fill([request!.spanContext().traceId, request!.spanContext().spanId]));
    }
  });

  it("keeps a task a traced call left running in the call's trace", async () => {
    let done!: () => void;
    const after = new Promise<void>((resolve) => (done = resolve));
    const enqueue = traced(
      'jobs',
      'enqueue',
    )(() => {
      void (async () => {
        await pause(5);
        start('jobs', 'background');
        stop('background');
        done();
      })();
    });
    enqueue();
    await after;
    const [call] = await finished('enqueue');
    const [background] = await finished('background');
    expect([background!.spanContext().traceId, parentIdOf(background!)]).toEqual([
      call!.spanContext().traceId,
      call!.spanContext().spanId,
    ]);
  });

  it('drops a note or tag made after the response, as the original dropped notes with no span, and says why', async () => {
    let done!: () => void;
    const after = new Promise<void>((resolve) => (done = resolve));
    server = await listen(
      traceRequestListener({ serviceName: 'api', name: 'HTTP' }, async (_req, res) => {
        res.end('ok');
        await pause(10);
        annotate('late note');
        tag('late', true);
        done();
      }),
    );
    await get(server.url);
    await after;
    const request = await expectUnderRequest([]);
    expect(otel.spans().filter((s) => s.name === 'orphan')).toEqual([]);
    expect(request.attributes.late).toBeUndefined();
    expect(request.events.map((e) => e.name)).not.toContain('late note');
    expect(diagnostics.warnings("annotate('late note') after its span had ended")).toHaveLength(1);
    expect(diagnostics.warnings("tag('late') after its span had ended")).toHaveLength(1);
    // OpenTelemetry never had to warn about a write to an ended span.
    expect(diagnostics.warnings('ended Span')).toEqual([]);
  });
});
