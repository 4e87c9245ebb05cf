// The log backend prints what it is given for a person to read: a waterfall per trace once its local root ends,
// or a line per span; traces waiting for their root are bounded, and what passes the bound is printed at once.
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { COMPLEX_AS_JSON, setComplexAttributes, withComplexValues } from '../support/complex-attributes.js';
import { newMemoryExporter, newProvider, simpleProcessor } from '../support/sdk-line.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogSpanExporter, TomographError } from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { logSpanProcessor } from '../../src/exporters/log/log-exporter.js';

let diagnostics: DiagCapture;
beforeEach(() => {
  diagnostics = captureDiag();
});
afterEach(() => diagnostics.restore());

function pipeline(exporter: LogSpanExporter) {
  const provider = newProvider({ spanProcessors: [simpleProcessor(exporter)] });
  return { tracer: provider.getTracer('test'), provider };
}

describe('the log backend', () => {
  it('prints complex attribute values (maps, mixed arrays, bytes) as JSON, never [object Object]', async () => {
    const out: string[] = [];
    const provider = newProvider({
      spanProcessors: [withComplexValues(simpleProcessor(new LogSpanExporter({ write: (t) => out.push(t) })))],
    });
    const span = provider.getTracer('test').startSpan('complex', { attributes: { 'service.name': 'svc' } });
    setComplexAttributes(span);
    span.end();
    await provider.shutdown();
    expect(out).toHaveLength(1);
    for (const [key, json] of Object.entries(COMPLEX_AS_JSON)) expect(out[0]).toContain(`${key}=${json}`);
    expect(out[0]).not.toContain('[object Object]');
  });

  it('holds a trace until its root span ends, then prints it whole', async () => {
    const out: string[] = [];
    const { tracer, provider } = pipeline(new LogSpanExporter({ write: (t) => out.push(t) }));
    const root = tracer.startSpan('root', { attributes: { 'service.name': 'svc' } });
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.end();
    expect(out).toEqual([]);
    root.end();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/· 2 spans · 2 services ·/);
    await provider.shutdown();
  });

  it('prints a span as a line at once, counted and reported, when maxPendingTraces traces already wait', async () => {
    const out: string[] = [];
    const exporter = new LogSpanExporter({ write: (t) => out.push(t), maxPendingTraces: 1 });
    const { tracer, provider } = pipeline(exporter);
    const roots = [tracer.startSpan('root a'), tracer.startSpan('root b')];
    for (const root of roots) tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /^unknown_service:\S+ child [\d.]+ ms trace=[0-9a-f]{32} span=[0-9a-f]{16} parent=[0-9a-f]{16}\n$/,
    );
    expect(exporter.getStats()).toEqual({ overflowed: 1, pendingTraces: 1 });
    expect(diagnostics.warnings('log backend has 1 traces waiting')).toHaveLength(1);
    await exporter.forceFlush();
    expect(out).toHaveLength(2);
    expect(exporter.getStats().pendingTraces).toBe(0);
    await provider.shutdown();
  });

  it('answers FAILED after shutdown and throws nothing', async () => {
    const exporter = new LogSpanExporter({ write: () => undefined });
    await exporter.shutdown();
    const results: number[] = [];
    exporter.export([], (result) => results.push(result.code));
    expect(results).toEqual([1]);
  });

  it('reports a failing write through diag and answers FAILED', () => {
    const exporter = new LogSpanExporter({
      format: 'lines',
      write: () => {
        throw new Error('disk full');
      },
    });
    const { tracer } = pipeline(exporter);
    expect(() => tracer.startSpan('s').end()).not.toThrow();
    expect(diagnostics.warnings('the log backend failed to print spans')).toHaveLength(1);
  });

  it('rejects bad options with a typed error', () => {
    expect(() => new LogSpanExporter({ format: 'xml' as never })).toThrow(TomographError);
    expect(() => new LogSpanExporter({ maxPendingTraces: -1 })).toThrow(/maxPendingTraces must be a whole number/);
    expect(() => new LogSpanExporter({ maxPendingTraces: 2 ** 53 })).toThrow(
      'log.maxPendingTraces must be a whole number of at least 0, got 9007199254740992',
    );
    expect(() => new LogSpanExporter({ formatt: 'lines' } as never)).toThrow(
      /unknown option log.formatt; expected one of format, write, /,
    );
  });

  it('escapes names so that a newline or a terminal escape in a span, service or note name stays on its line', async () => {
    for (const format of ['waterfall', 'lines'] as const) {
      const out: string[] = [];
      const { tracer, provider } = pipeline(new LogSpanExporter({ format, write: (t) => out.push(t) }));
      const span = tracer.startSpan('GET /x\nFAKE svc forged 1ms', {
        attributes: { 'service.name': 'svc\u001b[31mred' },
      });
      span.addEvent('note\r\nforged');
      span.end();
      await provider.shutdown();
      const text = out.join('');
      expect(text).not.toContain('\u001b');
      expect(text).toContain('GET /x\\nFAKE svc forged 1ms');
      expect(text).toContain('svc\\u001b[31mred');
      expect(text).toContain('note\\r\\nforged');
      expect(text.split('\n').filter((line) => line.includes('forged'))).toHaveLength(format === 'lines' ? 1 : 2);
    }
  });

  it('prints one picture for a trace whose spans arrive in several export batches, in any order before the root', () => {
    const memory = newMemoryExporter();
    const provider = newProvider({ spanProcessors: [simpleProcessor(memory)] });
    const tracer = provider.getTracer('test');
    const root = tracer.startSpan('root', { attributes: { 'service.name': 'client' } });
    const rootContext = trace.setSpan(ROOT_CONTEXT, root);
    const child = tracer.startSpan('child', { attributes: { 'service.name': 'client' } }, rootContext);
    // The server side of a call from this process to itself: its parent comes in from the request's headers.
    const server = tracer.startSpan(
      'server',
      { attributes: { 'service.name': 'server' } },
      trace.setSpanContext(ROOT_CONTEXT, { ...root.spanContext(), isRemote: true }),
    );
    const grandchild = tracer.startSpan(
      'grandchild',
      { attributes: { 'service.name': 'server' } },
      trace.setSpan(ROOT_CONTEXT, server),
    );
    for (const span of [grandchild, server, child, root]) span.end();
    const [grandchildDone, serverDone, childDone, rootDone] = memory.getFinishedSpans();

    const out: string[] = [];
    const exporter = new LogSpanExporter({ write: (t) => out.push(t) });
    const answers: number[] = [];
    for (const batch of [[grandchildDone!], [serverDone!, childDone!], [rootDone!]]) {
      exporter.export(batch, (result) => answers.push(result.code));
      if (batch[0] !== rootDone) expect(out).toEqual([]);
    }
    expect(answers).toEqual([0, 0, 0]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/· 4 spans · 2 services ·/);
    expect(exporter.getStats().pendingTraces).toBe(0);
  });

  it('prints a trace whose root is in another process once waitForRootMillis has passed, without keeping it longer', async () => {
    const out: string[] = [];
    const exporter = new LogSpanExporter({ write: (t) => out.push(t), waitForRootMillis: 20 });
    const { tracer, provider } = pipeline(exporter);
    const remote = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true };
    const server = tracer.startSpan(
      'server',
      { attributes: { 'service.name': 'server' } },
      trace.setSpanContext(ROOT_CONTEXT, remote),
    );
    tracer.startSpan('work', { attributes: { 'service.name': 'server' } }, trace.setSpan(ROOT_CONTEXT, server)).end();
    server.end();
    expect(out).toEqual([]);
    while (out.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/· 2 spans · 1 service ·/);
    expect(exporter.getStats().pendingTraces).toBe(0);
    await provider.shutdown();
  });

  it('prints a trace still waiting for its root when flushed', async () => {
    const out: string[] = [];
    const exporter = new LogSpanExporter({ write: (t) => out.push(t), waitForRootMillis: 60_000 });
    const { tracer, provider } = pipeline(exporter);
    const remote = { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true };
    tracer.startSpan('server', {}, trace.setSpanContext(ROOT_CONTEXT, remote)).end();
    await provider.forceFlush();
    expect(out).toHaveLength(1);
    await provider.shutdown();
  });

  it("behind configure()'s processor, prints a trace once none of its spans is open here, however long its root takes", async () => {
    const out: string[] = [];
    // No wait at all on the timer: only the open spans can hold the server's part back.
    const exporter = new LogSpanExporter({ write: (t) => out.push(t), waitForRootMillis: 0 });
    const provider = newProvider({ spanProcessors: [logSpanProcessor(simpleProcessor(exporter), exporter)] });
    const tracer = provider.getTracer('test');
    const client = tracer.startSpan('client', { attributes: { 'service.name': 'client' } });
    const server = tracer.startSpan(
      'server',
      { attributes: { 'service.name': 'server' } },
      trace.setSpanContext(ROOT_CONTEXT, { ...client.spanContext(), isRemote: true }),
    );
    server.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(out).toEqual([]);
    client.end();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/· 2 spans · 2 services ·/);
    // A server whose caller is elsewhere: nothing else of its trace is open here, so it prints when it ends.
    const remote = { traceId: 'e'.repeat(32), spanId: 'f'.repeat(16), traceFlags: TraceFlags.SAMPLED, isRemote: true };
    tracer
      .startSpan('alone', { attributes: { 'service.name': 'server' } }, trace.setSpanContext(ROOT_CONTEXT, remote))
      .end();
    expect(out).toHaveLength(2);
    expect(exporter.getStats().pendingTraces).toBe(0);
    await provider.shutdown();
  });
});
