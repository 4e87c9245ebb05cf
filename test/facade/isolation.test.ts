// Concurrent flows never see each other's facade spans: traced() and fresh boundaries isolate them, and each
// pitfall of the bridge notes has its regression test here.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { start, stop, traced } from 'tomograph';
import { withBoundary } from '../../src/context/boundary.js';
import { parentIdOf, SDK_LINES, setupOtel, type OtelHarness } from '../support/otel.js';

const pause = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(SDK_LINES)('with the OTel SDK %s', (line) => {
  let otel: OtelHarness;
  beforeEach(() => {
    otel = setupOtel(line);
  });
  afterEach(() => otel.teardown());

  describe('concurrent flows', () => {
    it('keeps 100 concurrent traced flows apart: each nested span has its own flow as parent', async () => {
      const flow = traced(
        'svc',
        'flow',
      )(async (i: number) => {
        await pause(Math.random() * 5);
        start('svc', `inner ${i}`);
        await pause(Math.random() * 5);
        const active = trace.getActiveSpan();
        stop(`inner ${i}`);
        return active;
      });
      await Promise.all(Array.from({ length: 100 }, (_, i) => flow(i)));
      const flows = otel.spans().filter((s) => s.name === 'flow');
      expect(flows).toHaveLength(100);
      for (let i = 0; i < 100; i++) {
        const inner = otel.span(`inner ${i}`);
        const parent = flows.find((f) => f.spanContext().spanId === parentIdOf(inner));
        expect(parent, `inner ${i} has a flow span as parent`).toBeDefined();
        expect(parent!.spanContext().traceId).toBe(inner.spanContext().traceId);
      }
      expect(new Set(flows.map((f) => f.spanContext().traceId)).size).toBe(100);
      expect(trace.getActiveSpan()).toBeUndefined();
    });

    it('keeps Promise.all siblings inside traced() apart and leaves the caller as it was', async () => {
      const sibling = traced(
        'svc',
        'sibling',
      )(async (name: string) => {
        start('svc', name);
        await pause(2);
        stop(name);
      });
      let activeAfter: unknown;
      let parentSpan: unknown;
      await traced(
        'svc',
        'parent',
      )(async () => {
        parentSpan = trace.getActiveSpan();
        await Promise.all(['a', 'b'].map((n) => sibling(n)));
        activeAfter = trace.getActiveSpan();
      })();
      expect(activeAfter).toBe(parentSpan);
      expect(trace.getActiveSpan()).toBeUndefined();
      const parent = otel.span('parent');
      const siblings = otel.spans().filter((s) => s.name === 'sibling');
      expect(siblings.map(parentIdOf)).toEqual([parent.spanContext().spanId, parent.spanContext().spanId]);
      const a = otel.span('a');
      const b = otel.span('b');
      expect(parentIdOf(a)).not.toBe(b.spanContext().spanId);
      expect(parentIdOf(b)).not.toBe(a.spanContext().spanId);
      expect(siblings.map((s) => s.spanContext().spanId)).toContain(parentIdOf(a));
      expect(siblings.map((s) => s.spanContext().spanId)).toContain(parentIdOf(b));
      // Each under its own sibling span, not both under one.
      expect(new Set([parentIdOf(a), parentIdOf(b)]).size).toBe(2);
    });
  });

  describe('pitfalls from the bridge notes', () => {
    it('pitfall 1: Promise.all siblings with bare start/stop in their own boundaries do not parent each other, and the caller does not see them afterwards', async () => {
      start('svc', 'caller');
      const caller = trace.getActiveSpan();
      await Promise.all(
        ['a', 'b'].map((n) =>
          withBoundary(async () => {
            start('svc', n);
            await pause(2);
            stop(n);
          }),
        ),
      );
      expect(trace.getActiveSpan()).toBe(caller);
      stop('caller');
      const callerId = otel.span('caller').spanContext().spanId;
      expect(parentIdOf(otel.span('a'))).toBe(callerId);
      expect(parentIdOf(otel.span('b'))).toBe(callerId);
    });

    it('pitfall 1 without boundaries: siblings that start after an await are isolated too', async () => {
      start('svc', 'caller');
      await Promise.all(
        ['a', 'b'].map(async (n) => {
          await pause(1);
          start('svc', n);
          await pause(2);
          stop(n);
        }),
      );
      stop('caller');
      const callerId = otel.span('caller').spanContext().spanId;
      expect(parentIdOf(otel.span('a'))).toBe(callerId);
      expect(parentIdOf(otel.span('b'))).toBe(callerId);
    });

    it('pitfall 2: spans started per request in a bounded listener do not leak across keep-alive requests on one socket', async () => {
      const server = http.createServer((req, res) =>
        withBoundary(() => {
          start('server', `request ${req.url}`);
          res.on('finish', () => otel.tracer.startSpan('after finish').end());
          setTimeout(() => {
            stop(`request ${req.url}`);
            res.end('ok');
          }, 2);
        }),
      );
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (const path of ['/h1', '/h2', '/h3']) {
          await new Promise<void>((resolve, reject) => {
            http
              .get({ host: '127.0.0.1', port, path, agent }, (res) => {
                res.resume();
                res.on('end', resolve);
              })
              .on('error', reject);
          });
        }
      } finally {
        agent.destroy();
        server.close();
      }
      for (const path of ['/h1', '/h2', '/h3']) {
        expect(parentIdOf(otel.span(`request ${path}`)), `request ${path} is a root`).toBeUndefined();
      }
      const traces = new Set(['/h1', '/h2', '/h3'].map((p) => otel.span(`request ${p}`).spanContext().traceId));
      expect(traces.size).toBe(3);
    });

    it('pitfall 3: context.with(active, fn) is no boundary on Node 20, a fresh context from withBoundary is', async () => {
      await withBoundary(async () => {
        await context.with(context.active(), async () => {
          start('svc', 'leaky');
        });
        // Node 20 behaviour: the same store object opens no new scope, so 'leaky' is still active out here.
        expect(otel.spans()).toHaveLength(0);
        expect(trace.getActiveSpan()).toBeDefined();
        stop('leaky');
        expect(trace.getActiveSpan()).toBeUndefined();

        await withBoundary(async () => {
          start('svc', 'contained');
        });
        expect(trace.getActiveSpan()).toBeUndefined();
      });
    });
  });
});
