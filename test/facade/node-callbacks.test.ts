// Timers, sockets and a tick that throws between start and stop: what differs between Node 20/22 (async hooks)
// and Node 24+ (AsyncContextFrame), and that tomograph reports the difference exactly. Each test asserts what
// this Node does; .ci/run runs the file on Node 20 and 24 (and 26), so both behaviours are checked.
import { AsyncLocalStorage } from 'node:async_hooks';
import net from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotate, start, stop } from 'tomograph';
import { callbacksHaveOwnContext } from '../../src/context/callback-contexts.js';
import { frameCore } from '../../src/context/frame-context.js';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { parentIdOf, setupOtel, type OtelHarness } from '../support/otel.js';

const node = `Node ${process.versions.node}`;
const ownContexts = callbacksHaveOwnContext;

let otel: OtelHarness;
let diagnostics: DiagCapture;
beforeEach(() => {
  otel = setupOtel();
  diagnostics = captureDiag();
  frameCore.warned.delete('TOMOGRAPH_NESTED_SAME_NAME');
});
afterEach(async () => {
  diagnostics.restore();
  await otel.teardown();
});

it(`knows whether each timer tick on ${node} runs in its own context (${ownContexts ? 'yes' : 'no'}), as an AsyncLocalStorage probe shows`, async () => {
  const storage = new AsyncLocalStorage<string>();
  const seen: (string | undefined)[] = [];
  await new Promise<void>((resolve) => {
    let ticks = 0;
    const timer = setInterval(() => {
      seen.push(storage.getStore());
      if (++ticks === 1) storage.enterWith('entered in tick 1');
      else {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  expect(seen[1] === undefined).toBe(ownContexts);
});

describe(`on ${node}`, () => {
  it(
    ownContexts
      ? 'a span started in one timer tick is not open in the next: stop() there ends nothing and says why, naming timer ticks'
      : 'a span started in one timer tick is still open in the next, where stop() ends it',
    async () => {
      await new Promise<void>((resolve) => {
        let ticks = 0;
        const timer = setInterval(() => {
          if (++ticks === 1) start('poller', 'across ticks');
          else {
            stop('across ticks');
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      if (ownContexts) {
        expect(otel.spans()).toEqual([]);
        expect(diagnostics.warnings("stop('across ticks')")).toEqual([
          expect.stringContaining(
            `on Node ${process.versions.node}, an earlier tick of a timer or call of an event listener, each of which runs in its own context`,
          ),
        ]);
      } else {
        expect(otel.spans().map((s) => s.name)).toEqual(['across ticks']);
        expect(diagnostics.warnings()).toEqual([]);
      }
    },
  );

  it(
    ownContexts
      ? 'a tick that throws between start and stop leaves later ticks their own traces'
      : 'a tick that throws between start and stop leaves later ticks under its never-stopped span, and diag says why once',
    async () => {
      await new Promise<void>((resolve) => {
        let ticks = 0;
        const timer = setInterval(async () => {
          const tick = ++ticks;
          if (tick > 4) {
            clearInterval(timer);
            resolve();
            return;
          }
          start('poller', 'tick');
          try {
            await null;
            if (tick === 2) throw new Error('tick 2 failed');
          } catch {
            return;
          }
          stop('tick');
        }, 1);
      });
      const ticks = otel.spans().filter((s) => s.name === 'tick');
      expect(ticks).toHaveLength(3);
      const roots = ticks.filter((s) => parentIdOf(s) === undefined);
      if (ownContexts) {
        expect(roots).toHaveLength(3);
        expect(diagnostics.warnings()).toEqual([]);
      } else {
        expect(roots).toHaveLength(1);
        expect(diagnostics.warnings("start('tick') began inside an open span of the same name")).toHaveLength(1);
      }
    },
  );

  it(
    ownContexts
      ? "a span started in one socket 'data' call is not open in the next: a note there is not recorded, and stop() says why"
      : "a span started in one socket 'data' call stays open for the socket's later calls, which stop() it",
    async () => {
      const server = net.createServer((socket) => {
        let first = true;
        socket.on('data', () => {
          if (first) start('server', 'connection');
          else annotate('later chunk');
          first = false;
        });
        socket.on('end', () => {
          stop('connection');
          socket.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const client = net.connect(port, '127.0.0.1', () => {
          client.write('a');
          setTimeout(() => client.write('b'), 10);
          setTimeout(() => client.end(), 20);
        });
        client.on('error', reject);
        client.on('close', () => resolve());
        client.resume();
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownContexts) {
        expect(otel.spans()).toEqual([]);
        expect(diagnostics.warnings("annotate('later chunk') with no span active")).toHaveLength(1);
        expect(diagnostics.warnings("stop('connection')")).toEqual([
          expect.stringContaining('an earlier tick of a timer or call of an event listener'),
        ]);
      } else {
        expect(otel.spans().map((s) => s.name)).toEqual(['connection']);
        expect(otel.span('connection').events.map((e) => e.name)).toEqual(['later chunk']);
      }
      expect(trace.getActiveSpan()).toBeUndefined();
    },
  );
});
