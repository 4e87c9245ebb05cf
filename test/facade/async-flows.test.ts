// A stopped span is active nowhere: the shapes of real async code (an awaited helper that starts and stops a
// span, loops of awaited jobs, timers, listeners, promise chains) leave every context as it was before start().
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotate, getTraceInfo, setStrictMode, start, stop, tag } from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { parentIdOf, SDK_LINES, setupOtel, type OtelHarness } from '../support/otel.js';

const pause = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(SDK_LINES)('with the OTel SDK %s', (line) => {
  let otel: OtelHarness;
  let diagnostics: DiagCapture;
  beforeEach(() => {
    otel = setupOtel(line);
    diagnostics = captureDiag();
  });
  afterEach(async () => {
    setStrictMode(false);
    diagnostics.restore();
    await otel.teardown();
  });

  async function listServers(): Promise<string[]> {
    await pause();
    return ['a', 'b'];
  }

  async function getServers(): Promise<string[]> {
    start('nova api', 'GET /servers', '10.0.0.1', 8774);
    const servers = await listServers();
    annotate('servers listed');
    stop('GET /servers');
    return servers;
  }

  describe("the README's awaited helper", () => {
    it("gives the caller back its own span after await: the caller's note and tag land on it", async () => {
      start('gateway', 'request');
      const requestSpan = trace.getActiveSpan();
      await getServers();
      expect(trace.getActiveSpan()).toBe(requestSpan);
      annotate('caller note');
      tag('caller.tag', 1);
      stop('request');
      const request = otel.span('request');
      const servers = otel.span('GET /servers');
      expect(request.events.map((e) => e.name)).toEqual(['caller note']);
      expect(request.attributes['caller.tag']).toBe(1);
      expect(servers.events.map((e) => e.name)).toEqual(['servers listed']);
      expect(parentIdOf(servers)).toBe(request.spanContext().spanId);
      expect(trace.getActiveSpan()).toBeUndefined();
      expect(diagnostics.warnings()).toEqual([]);
    });

    it('is correct code in strict mode: nothing throws and OTel logs no ended-span warning', async () => {
      setStrictMode(true);
      start('gateway', 'request');
      await getServers();
      annotate('caller note');
      await getServers();
      stop('request');
      expect(otel.spans().map((s) => s.name)).toEqual(['GET /servers', 'GET /servers', 'request']);
      expect(diagnostics.messages.filter((m) => m.level !== 'debug' && m.level !== 'verbose')).toEqual([]);
    });

    it('shows OTel-native code in the caller the caller span after the await, for startSpan and getTraceInfo', async () => {
      start('gateway', 'request');
      await getServers();
      const native = otel.tracer.startSpan('native after');
      native.end();
      const token = getTraceInfo();
      stop('request');
      const request = otel.span('request');
      expect(parentIdOf(otel.span('native after'))).toBe(request.spanContext().spanId);
      expect(token).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);
    });

    it('hides the stopped span from a promise chain and a timer captured while it was open', async () => {
      start('gateway', 'request');
      const requestSpan = trace.getActiveSpan();
      let resolveLater!: () => void;
      const later = new Promise<void>((resolve) => (resolveLater = resolve));
      const seen: { chain?: unknown; timer?: unknown } = {};
      start('svc', 'short');
      const chained = later.then(() => (seen.chain = trace.getActiveSpan()));
      const timer = new Promise<void>((resolve) =>
        setTimeout(() => ((seen.timer = trace.getActiveSpan()), resolve()), 5),
      );
      stop('short');
      resolveLater();
      await Promise.all([chained, timer]);
      expect(seen.chain).toBe(requestSpan);
      expect(seen.timer).toBe(requestSpan);
      stop('request');
    });
  });

  describe('loops of awaited jobs', () => {
    async function handle(i: number): Promise<void> {
      start('worker', `job ${i % 3}`);
      await pause(0);
      annotate('done');
      stop(`job ${i % 3}`);
    }

    it('makes one trace per job when no caller span is active', async () => {
      for (let i = 0; i < 50; i++) await handle(i);
      const jobs = otel.spans();
      expect(jobs).toHaveLength(50);
      expect(new Set(jobs.map((s) => s.spanContext().traceId)).size).toBe(50);
      for (const job of jobs) expect(parentIdOf(job)).toBeUndefined();
      expect(trace.getActiveSpan()).toBeUndefined();
      expect(diagnostics.warnings()).toEqual([]);
    });

    it("makes each job a child of the caller's span when one is active", async () => {
      start('worker', 'batch');
      for (let i = 0; i < 20; i++) await handle(i);
      stop('batch');
      const batch = otel.span('batch');
      const jobs = otel.spans().filter((s) => s.name.startsWith('job'));
      expect(jobs).toHaveLength(20);
      for (const job of jobs) expect(parentIdOf(job)).toBe(batch.spanContext().spanId);
    });

    it('does not chain the ticks of one setInterval into one trace', async () => {
      let ticks = 0;
      const done = new Promise<void>((resolve) => {
        const timer = setInterval(async () => {
          const tick = ++ticks;
          if (tick > 10) return;
          start('poller', 'tick');
          await pause(0);
          stop('tick');
          if (tick === 10) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      await done;
      await pause(5);
      const spans = otel.spans().filter((s) => s.name === 'tick');
      expect(spans).toHaveLength(10);
      expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(10);
      for (const span of spans) expect(parentIdOf(span)).toBeUndefined();
    });

    it('does not chain listeners fed from one loop', async () => {
      const emitter = new EventEmitter();
      const finished: Promise<void>[] = [];
      emitter.on('job', (i: number) => {
        finished.push(
          (async () => {
            start('listener', `event ${i}`);
            await pause(0);
            stop(`event ${i}`);
          })(),
        );
      });
      for (let i = 0; i < 10; i++) {
        emitter.emit('job', i);
        await finished[i];
      }
      const spans = otel.spans();
      expect(spans).toHaveLength(10);
      for (const span of spans) expect(parentIdOf(span)).toBeUndefined();
      expect(diagnostics.warnings()).toEqual([]);
    });
  });

  describe('start() inside a callback-scoped native context', () => {
    it('reports a stop() after the callback as out of scope and ends nothing', () => {
      context.with(ROOT_CONTEXT.setValue(Symbol('scope'), 1), () => start('svc', 'inside'));
      stop('inside');
      expect(otel.spans()).toEqual([]);
      expect(diagnostics.warnings()).toEqual([
        expect.stringContaining(
          "stop('inside'): a span of that name is open, but not in this flow: its start() ran inside a callback",
        ),
      ]);
    });

    it('throws STOP_OUT_OF_SCOPE in strict mode', () => {
      setStrictMode(true);
      otel.tracer.startActiveSpan('native', (span) => {
        start('svc', 'inside native');
        span.end();
      });
      expect(() => stop('inside native')).toThrow(expect.objectContaining({ code: 'STOP_OUT_OF_SCOPE' }));
    });

    it('works when stop() runs inside the same callback', () => {
      otel.tracer.startActiveSpan('native', (span) => {
        start('svc', 'inside native');
        stop('inside native');
        span.end();
      });
      expect(parentIdOf(otel.span('inside native'))).toBe(otel.span('native').spanContext().spanId);
      expect(diagnostics.warnings()).toEqual([]);
    });
  });
});

describe('a long stack', () => {
  it('stops the bottom of 50,000 open spans alone, and each span above by its own stop(), innermost first', () => {
    const otel = setupOtel();
    const diagnostics = captureDiag();
    try {
      for (let i = 0; i < 50_000; i++) start('svc', `s${i}`);
      stop('s0');
      expect(otel.spans().map((s) => s.name)).toEqual(['s0']);
      expect(trace.getActiveSpan()).toBeDefined();
      for (let i = 49_999; i > 0; i--) stop(`s${i}`);
      expect(otel.spans()).toHaveLength(50_000);
      expect(trace.getActiveSpan()).toBeUndefined();
      expect(diagnostics.warnings()).toEqual([]);
    } finally {
      diagnostics.restore();
      void otel.teardown();
    }
  }, 120_000);
});

describe('a worker loop of 100,000 awaited jobs', () => {
  it('makes 100,000 one-span traces and keeps the heap flat', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/facade/fixtures/job-loop-memory.ts'],
      {
        cwd: root,
        timeout: 120_000,
      },
    );
    const result = JSON.parse(stdout) as {
      before: number;
      after: number;
      spans: number;
      roots: number;
      activeAfter: string | null;
    };
    expect(result.spans).toBe(105_000);
    expect(result.roots).toBe(105_000);
    expect(result.activeAfter).toBeNull();
    expect(result.after - result.before).toBeLessThan(8 * 2 ** 20);
  }, 120_000);
});
