// A bounded queue of export jobs drained at a paced byte rate (a token bucket): bursts up to `burstBytes` go out
// at once, longer runs at `bytesPerSecond`. A datagram receiver drops whatever a burst pushes past its socket
// buffer, and nothing tells the sender; pacing a long backlog at a rate the daemon reads is what keeps it whole,
// while a steady flow below the rate is never delayed. Pure scheduling: the clock and timers are injected.
import type { Scheduled, Scheduler } from './scheduler.js';

/** One export call: its items, how far sending got, and what to do once all are sent. */
export interface Job<T> {
  readonly items: readonly T[];
  next: number;
  /** All items were sent. */
  readonly finish: () => void;
  /** The job was taken out before all its items were sent (shutdown); `unsent` of them never went out. */
  readonly fail: (unsent: number) => void;
}

export interface PacedQueueOptions<T> {
  /** Sustained rate; `Infinity` sends as fast as the transport takes data. */
  readonly bytesPerSecond: number;
  /** What may go out at once after an idle time; also the most sent in one turn. */
  readonly burstBytes: number;
  /** Items queued at most; `push` refuses beyond. */
  readonly maxItems: number;
  /** Past this wait for a transport that is not ready, `onStall` is called and sending goes on. */
  readonly stallMillis: number;
  readonly scheduler: Scheduler;
  /** Sends one item; returns the bytes it put on the wire. Must not throw. */
  readonly send: (item: T) => number;
  /** Whether the transport takes data now, and a way to hear when it may again. */
  readonly transport: { ready(): boolean; whenReady(wake: () => void): void };
  readonly onStall: () => void;
}

export class PacedQueue<T> {
  private readonly jobs: Array<Job<T>> = [];
  private queued = 0;
  private tokens: number;
  private lastRefill: number;
  private turn: Scheduled | undefined;
  private waitingForTransport = false;
  private stallTimer: Scheduled | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: PacedQueueOptions<T>) {
    this.tokens = options.burstBytes;
    this.lastRefill = options.scheduler.now();
  }

  /** Items waiting to be sent. */
  get size(): number {
    return this.queued;
  }

  /** Queues a job; false (nothing queued) when it would pass `maxItems`. */
  push(items: readonly T[], finish: () => void, fail: (unsent: number) => void): boolean {
    if (this.queued + items.length > this.options.maxItems) return false;
    this.jobs.push({ items, next: 0, finish, fail });
    this.queued += items.length;
    this.schedule(0);
    return true;
  }

  /** Removes every job not yet finished and fails each; returns how many items were never sent. */
  dropAll(): number {
    const jobs = this.jobs.splice(0);
    this.queued = 0;
    this.turn?.cancel();
    this.turn = undefined;
    this.clearStall();
    this.waitingForTransport = false;
    this.notifyIdle();
    let unsent = 0;
    for (const job of jobs) {
      unsent += job.items.length - job.next;
      job.fail(job.items.length - job.next);
    }
    return unsent;
  }

  /** Resolves once the queue is empty (every job's `finish` called). */
  whenEmpty(): Promise<void> {
    if (this.jobs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(millis: number): void {
    if (this.turn !== undefined || this.waitingForTransport) return;
    this.turn = this.options.scheduler.later(millis, () => {
      this.turn = undefined;
      this.run();
    });
  }

  private refill(): void {
    const now = this.options.scheduler.now();
    const elapsed = Math.max(0, now - this.lastRefill);
    this.lastRefill = now;
    this.tokens = Math.min(this.options.burstBytes, this.tokens + (elapsed * this.options.bytesPerSecond) / 1000);
  }

  /** One turn: send while the bucket holds tokens and the transport takes data, then wait for either. */
  private run(): void {
    this.refill();
    const { transport } = this.options;
    while (this.jobs.length > 0 && this.tokens > 0) {
      if (!transport.ready()) {
        this.waitForTransport();
        return;
      }
      const job = this.jobs[0]!;
      if (job.next < job.items.length) {
        // Advance first: an item that cannot be sent must never be retried forever.
        const item = job.items[job.next]!;
        job.next += 1;
        this.tokens -= this.options.send(item);
      }
      if (job.next >= job.items.length) {
        this.jobs.shift();
        this.queued -= job.items.length;
        job.finish();
      }
    }
    if (this.jobs.length === 0) {
      this.notifyIdle();
      return;
    }
    // The bucket is empty (or in debt after a large item): wait until it holds a tenth of a burst again, so that
    // turns are not wasted on a few bytes each. The wait is a timer even when it is shorter than the 1 ms a timer
    // takes at least: turning the event loop over and over instead (setImmediate) keeps this process runnable, and
    // on a machine with few cores that took CPU from the daemon, which then dropped more than it did unpaced.
    const wanted = this.options.burstBytes / 10 - this.tokens;
    this.schedule(Math.max(1, Math.ceil((wanted * 1000) / this.options.bytesPerSecond)));
  }

  private waitForTransport(): void {
    this.waitingForTransport = true;
    this.stallTimer ??= this.options.scheduler.later(this.options.stallMillis, () => {
      this.stallTimer = undefined;
      this.options.onStall();
    });
    this.options.transport.whenReady(() => {
      if (!this.waitingForTransport) return;
      this.waitingForTransport = false;
      if (this.options.transport.ready()) this.clearStall();
      this.schedule(0);
    });
  }

  private clearStall(): void {
    this.stallTimer?.cancel();
    this.stallTimer = undefined;
  }

  private notifyIdle(): void {
    this.clearStall();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
