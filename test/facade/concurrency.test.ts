// The facade in the concurrent shapes real services have: fire-and-forget helpers, Promise.race and fail-fast
// Promise.all, siblings that start before their first await, spans ended with span.end(), and a consumer loop
// whose job throws between start and stop. Who may end a span: its own stop(), or the integration that owns the
// flow as it ends (marked not_stopped); nobody else.
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotate, setStrictMode, start, stop, tag, traced } from 'tomograph';
import { frameCore } from '../../src/context/frame-context.js';
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

  const spanId = (name: string) => otel.span(name).spanContext().spanId;
  const endedAfterNote = (name: string) => {
    const span = otel.span(name);
    const [note] = span.events;
    return note !== undefined && hrMillis(span.endTime) >= hrMillis(note.time);
  };

  async function helper(name: string, ms: number): Promise<void> {
    start('helper', name);
    await pause(ms);
    annotate(`${name} done`);
    tag(`${name}.tag`, 1);
    stop(name);
  }

  describe('fire-and-forget helpers', () => {
    it("void helper(): the caller's stop() ends only the caller's span; the helper's note, tag and stop() are its own", async () => {
      setStrictMode(true);
      start('api', 'request');
      void helper('audit', 15);
      stop('request');
      expect(otel.spans().map((s) => s.name)).toEqual(['request']);
      await pause(30);
      const audit = otel.span('audit');
      expect(audit.events.map((e) => e.name)).toEqual(['audit done']);
      expect(audit.attributes['audit.tag']).toBe(1);
      expect(audit.attributes['tomograph.not_stopped']).toBeUndefined();
      expect(parentIdOf(audit)).toBe(spanId('request'));
      expect(endedAfterNote('audit')).toBe(true);
      expect(otel.spans().some((s) => s.name === 'orphan')).toBe(false);
      expect(diagnostics.warnings()).toEqual([]);
      expect(trace.getActiveSpan()).toBeUndefined();
    });

    it('Promise.race with a timeout: the losing helper keeps running under its own span and stops it itself', async () => {
      start('api', 'request');
      await Promise.race([helper('slow lookup', 20), pause(2)]);
      // The helper's sync part ran in this flow, so its open span is this flow's innermost (Known limits): a note
      // here lands on it; the caller's stop() ends the caller's span and leaves the helper's alone.
      annotate('while the helper runs');
      stop('request');
      await pause(40);
      const slow = otel.span('slow lookup');
      expect(slow.events.map((e) => e.name)).toEqual(['while the helper runs', 'slow lookup done']);
      expect(slow.attributes['tomograph.not_stopped']).toBeUndefined();
      expect(parentIdOf(slow)).toBe(spanId('request'));
      expect(diagnostics.warnings()).toEqual([]);
    });

    it("fail-fast Promise.all: the helpers still running after one rejects end by their own stop(), the caller's ends by its own", async () => {
      const failing = async () => {
        await pause(1);
        throw new Error('fail fast');
      };
      start('api', 'request');
      await expect(Promise.all([helper('a', 10), helper('b', 15), failing()])).rejects.toThrow('fail fast');
      stop('request');
      await pause(40);
      for (const name of ['a', 'b']) {
        expect(otel.span(name).events.map((e) => e.name)).toEqual([`${name} done`]);
        expect(otel.span(name).attributes['tomograph.not_stopped']).toBeUndefined();
      }
      expect(otel.span('request').attributes['tomograph.not_stopped']).toBeUndefined();
      expect(diagnostics.warnings()).toEqual([]);
      expect(trace.getActiveSpan()).toBeUndefined();
    });

    it('a span never stopped inside a traced() call ends with that call, marked not_stopped', async () => {
      await traced(
        'api',
        'job',
      )(async () => {
        start('api', 'forgotten');
        await pause(1);
      })();
      const forgotten = otel.span('forgotten');
      expect(forgotten.attributes['tomograph.not_stopped']).toBe(true);
      expect(parentIdOf(forgotten)).toBe(spanId('job'));
      // A stop() that comes after the call ended it is no misuse.
      expect(diagnostics.warnings()).toEqual([]);
    });

    it('a helper outliving its traced() call: its span ends with the call, marked not_stopped, and its late stop() is quiet', async () => {
      let late!: Promise<void>;
      await traced(
        'api',
        'job',
      )(async () => {
        late = helper('background', 10);
      })();
      await late;
      expect(otel.span('background').attributes['tomograph.not_stopped']).toBe(true);
      expect(diagnostics.warnings("stop('background')")).toEqual([]);
    });
  });

  describe('siblings that start before their first await', () => {
    async function sibling(i: number): Promise<void> {
      start('svc', `item ${i}`);
      await pause(2);
      stop(`item ${i}`);
    }

    it('chain while open, as documented: item k is a child of item k-1; the caller gets its own span back', async () => {
      start('svc', 'caller');
      const caller = trace.getActiveSpan();
      await Promise.all([0, 1, 2, 3].map(sibling));
      expect(trace.getActiveSpan()).toBe(caller);
      stop('caller');
      expect(parentIdOf(otel.span('item 0'))).toBe(spanId('caller'));
      for (let k = 1; k < 4; k++) expect(parentIdOf(otel.span(`item ${k}`))).toBe(spanId(`item ${k - 1}`));
      expect(diagnostics.warnings()).toEqual([]);
    });

    it('do not chain once the earlier one has stopped', async () => {
      start('svc', 'caller');
      const first = sibling(0);
      await first;
      await sibling(1);
      stop('caller');
      expect(parentIdOf(otel.span('item 1'))).toBe(spanId('caller'));
    });

    it('do not chain when each starts after an await, or inside traced()', async () => {
      start('svc', 'caller');
      await Promise.all(
        [0, 1, 2].map(async (i) => {
          await null;
          await sibling(i);
        }),
      );
      await Promise.all([3, 4, 5].map((i) => traced('svc', `wrapped ${i}`)(() => sibling(i))()));
      stop('caller');
      for (const k of [0, 1, 2]) expect(parentIdOf(otel.span(`item ${k}`))).toBe(spanId('caller'));
      for (const k of [3, 4, 5]) expect(parentIdOf(otel.span(`item ${k}`))).toBe(spanId(`wrapped ${k}`));
    });

    it('cost a bounded number of steps each however many stop in start order (no walk through earlier siblings)', async () => {
      const walked = async (count: number): Promise<number> => {
        const before = frameCore.stats.stoppedFramesWalked;
        start('svc', 'caller');
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const items = Array.from({ length: count }, async (_, i) => {
          start('svc', `sibling ${i}`);
          await gate;
          stop(`sibling ${i}`);
        });
        release();
        await Promise.all(items);
        annotate('after');
        stop('caller');
        return frameCore.stats.stoppedFramesWalked - before;
      };
      const small = await walked(2_000);
      const large = await walked(8_000);
      // Linear: 4 times the siblings, about 4 times the steps (stopping in start order walked every earlier
      // sibling before: 16 times).
      expect(large).toBeLessThan(8_000 * 6);
      expect(large / small).toBeLessThan(6);
      const callers = otel.spans().filter((s) => s.name === 'caller');
      for (const caller of callers) expect(caller.events.map((e) => e.name)).toEqual(['after']);
    });
  });

  describe('a facade span ended with span.end()', () => {
    it('reads as stopped: no longer active, children parent to the span before it, a later stop() is quiet', () => {
      start('svc', 'outer');
      const outer = trace.getActiveSpan();
      start('svc', 'inner');
      trace.getActiveSpan()!.end();
      expect(trace.getActiveSpan()).toBe(outer);
      otel.tracer.startSpan('native child').end();
      annotate('note on outer');
      stop('inner');
      stop('outer');
      expect(parentIdOf(otel.span('native child'))).toBe(spanId('outer'));
      expect(otel.span('outer').events.map((e) => e.name)).toEqual(['note on outer']);
      expect(otel.span('inner').events).toEqual([]);
      expect(diagnostics.messages.filter((m) => m.level === 'warn' || m.level === 'error')).toEqual([]);
      expect(trace.getActiveSpan()).toBeUndefined();
    });

    it('in strict mode too: stop() after span.end() throws nothing', () => {
      setStrictMode(true);
      start('svc', 'ended natively');
      trace.getActiveSpan()!.end();
      expect(() => stop('ended natively')).not.toThrow();
      expect(otel.spans().map((s) => s.name)).toEqual(['ended natively']);
    });
  });

  describe('an exception between start and stop in a consumer loop', () => {
    async function job(i: number, throwAt: number): Promise<void> {
      start('consumer', 'job');
      await pause(0);
      if (i === throwAt) throw new Error(`job ${i} failed`);
      stop('job');
    }

    it('without try/finally, later jobs nest under the span that never stopped, and diag says why once', async () => {
      frameCore.warned.delete('TOMOGRAPH_NESTED_SAME_NAME');
      for (let i = 0; i < 6; i++) await job(i, 2).catch(() => undefined);
      const exported = otel.spans().filter((s) => s.name === 'job');
      // Jobs 0 and 1 are roots; 3, 4, 5 nest under job 2, which is never exported.
      expect(exported).toHaveLength(5);
      expect(exported.filter((s) => parentIdOf(s) === undefined)).toHaveLength(2);
      expect(diagnostics.warnings("start('job') began inside an open span of the same name")).toHaveLength(1);
    });

    it('with stop() in a finally block, every job is its own trace', async () => {
      const safeJob = async (i: number) => {
        start('consumer', 'job');
        try {
          await pause(0);
          if (i === 2) throw new Error('job 2 failed');
        } finally {
          stop('job');
        }
      };
      for (let i = 0; i < 6; i++) await safeJob(i).catch(() => undefined);
      const exported = otel.spans().filter((s) => s.name === 'job');
      expect(exported).toHaveLength(6);
      for (const span of exported) expect(parentIdOf(span)).toBeUndefined();
      expect(diagnostics.warnings()).toEqual([]);
    });

    it('with each job run through traced(), the failed job is exported (ERROR, its inner span not_stopped) and later jobs are their own traces', async () => {
      const tracedJob = traced('consumer', 'job run')(job);
      for (let i = 0; i < 6; i++) await tracedJob(i, 2).catch(() => undefined);
      const runs = otel.spans().filter((s) => s.name === 'job run');
      expect(runs).toHaveLength(6);
      for (const run of runs) expect(parentIdOf(run)).toBeUndefined();
      const inner = otel.spans().filter((s) => s.name === 'job');
      expect(inner).toHaveLength(6);
      expect(inner.filter((s) => s.attributes['tomograph.not_stopped'] === true)).toHaveLength(1);
    });
  });
});

function hrMillis(time: [number, number]): number {
  return time[0] * 1e3 + time[1] / 1e6;
}
