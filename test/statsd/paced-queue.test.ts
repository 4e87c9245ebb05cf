// The paced queue on fake timers: bursts, the sustained rate, a transport that pushes back or stalls, the bound, and
// jobs dropped at shutdown. No wall clock: every time below is the fake clock's.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PacedQueue } from '../../src/exporters/statsd/paced-queue.js';
import { realScheduler } from '../../src/exporters/statsd/scheduler.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Harness {
  queue: PacedQueue<number>;
  sent: number[];
  stalls: number;
  transport: { isReady: boolean; wake?: () => void };
}

/** Items of 100 bytes each; a burst of 1,000 bytes; 10,000 bytes per second. */
function harness(overrides: { maxItems?: number } = {}): Harness {
  const h = { sent: [] as number[], stalls: 0, transport: { isReady: true } as Harness['transport'] } as Harness;
  h.queue = new PacedQueue<number>({
    bytesPerSecond: 10_000,
    burstBytes: 1000,
    maxItems: overrides.maxItems ?? 1000,
    stallMillis: 2000,
    scheduler: realScheduler,
    send: (item) => {
      h.sent.push(item);
      return 100;
    },
    transport: {
      ready: () => h.transport.isReady,
      whenReady: (wake) => {
        h.transport.wake = wake;
      },
    },
    onStall: () => {
      h.stalls += 1;
    },
  });
  return h;
}

const items = (count: number, from = 0): number[] => Array.from({ length: count }, (_, i) => from + i);

describe('pacing', () => {
  it('a backlog goes out as one burst, then at the sustained rate', async () => {
    const h = harness();
    let finished = false;
    h.queue.push(
      items(100),
      () => (finished = true),
      () => {},
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(100);
    expect(h.sent).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(800);
    expect(h.sent).toHaveLength(100);
    expect(finished).toBe(true);
    expect(h.sent).toEqual(items(100));
  });

  it('a steady flow below the rate is never held back', async () => {
    const h = harness();
    for (let i = 0; i < 20; i += 1) {
      h.queue.push(
        [i],
        () => {},
        () => {},
      );
      await vi.advanceTimersByTimeAsync(0);
      expect(h.sent).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(50);
    }
  });

  it('whenEmpty resolves once the last job is finished', async () => {
    const h = harness();
    h.queue.push(
      items(30),
      () => {},
      () => {},
    );
    let empty = false;
    void h.queue.whenEmpty().then(() => (empty = true));
    await vi.advanceTimersByTimeAsync(150);
    expect(empty).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(empty).toBe(true);
  });
});

describe('a transport that pushes back', () => {
  it('waits while the transport is not ready and goes on when it wakes', async () => {
    const h = harness();
    h.transport.isReady = false;
    h.queue.push(
      items(5),
      () => {},
      () => {},
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(h.sent).toEqual([]);
    h.transport.isReady = true;
    h.transport.wake!();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent).toEqual(items(5));
    expect(h.stalls).toBe(0);
  });

  it('a transport that takes nothing for stallMillis is reported stalled once, and sending goes on when it recovers', async () => {
    const h = harness();
    h.transport.isReady = false;
    h.queue.push(
      items(5),
      () => {},
      () => {},
    );
    await vi.advanceTimersByTimeAsync(1999);
    expect(h.stalls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.stalls).toBe(1);
    h.transport.isReady = true;
    h.transport.wake!();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent).toEqual(items(5));
  });
});

describe('bounds and shutdown', () => {
  it('refuses a job that would pass maxItems, and queues nothing of it', () => {
    const h = harness({ maxItems: 10 });
    expect(
      h.queue.push(
        items(8),
        () => {},
        () => {},
      ),
    ).toBe(true);
    expect(
      h.queue.push(
        items(3),
        () => {},
        () => {},
      ),
    ).toBe(false);
    expect(h.queue.size).toBe(8);
  });

  it('dropAll fails every unfinished job with how many of its items were never sent', async () => {
    const h = harness();
    const failures: number[] = [];
    h.queue.push(
      items(15),
      () => {},
      (unsent) => failures.push(unsent),
    );
    h.queue.push(
      items(5),
      () => {},
      (unsent) => failures.push(unsent),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(h.queue.dropAll()).toBe(10);
    expect(failures).toEqual([5, 5]);
    expect(h.queue.size).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.sent).toHaveLength(10);
  });
});
