// A fire-and-forget helper inside a request: the response ends the request span, never the helper's, unless the
// helper is still running when the response ends; then its span ends with the request, marked not_stopped.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { annotate, start, stop, traceRequestListener } from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { parentIdOf } from '../support/otel.js';
import { get, useTracedLoopback } from '../http/loopback.js';

const loopback = useTracedLoopback();
const pause = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

async function audit(ms: number): Promise<void> {
  start('audit', 'audit');
  await pause(ms);
  annotate('audited');
  stop('audit');
}

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

let diagnostics: DiagCapture;
beforeEach(() => {
  diagnostics = captureDiag();
});
afterEach(() => diagnostics.restore());

it('a helper that finishes before the response keeps its own span, notes and stop()', async () => {
  const server = await loopback.serve(
    traceRequestListener({ serviceName: 'api', name: 'HTTP' }, async (_req, res) => {
      void audit(1);
      await pause(20);
      res.end('ok');
    }),
  );
  await get(server.url);
  const [request] = await ended('HTTP');
  const [helper] = await ended('audit');
  expect(parentIdOf(helper!)).toBe(request!.spanContext().spanId);
  expect(helper!.events.map((e) => e.name)).toEqual(['audited']);
  expect(helper!.attributes['tomograph.not_stopped']).toBeUndefined();
  expect(diagnostics.warnings()).toEqual([]);
});

it('a helper still running when the response ends has its span ended with the request, marked not_stopped, and its late stop() is quiet', async () => {
  let helper!: Promise<void>;
  const server = await loopback.serve(
    traceRequestListener({ serviceName: 'api', name: 'HTTP' }, (_req, res) => {
      helper = audit(30);
      res.end('ok');
    }),
  );
  await get(server.url);
  const [request] = await ended('HTTP');
  const [span] = await ended('audit');
  expect(span!.attributes['tomograph.not_stopped']).toBe(true);
  expect(parentIdOf(span!)).toBe(request!.spanContext().spanId);
  await helper;
  expect(diagnostics.warnings("stop('audit')")).toEqual([]);
});
