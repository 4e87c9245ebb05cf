// The clock and timers the paced queue runs on, injectable so that tests drive pacing with fake timers instead of
// asserting on the wall clock.

/** A pending call that can be called off. */
export interface Scheduled {
  cancel(): void;
}

export interface Scheduler {
  /** Milliseconds on a clock that only moves forward. */
  now(): number;
  /**
   * Runs `task` after `millis` (0: on the next turn of the event loop, after I/O).
   */
  later(millis: number, task: () => void): Scheduled;
}

/**
 * The real clock and Node's timers, looked up at each call (not captured at load) so that fake timers installed
 * by a test apply to exporters made after them. The waits keep the process alive on purpose: they exist only while
 * spans are queued, and the queue always empties in bounded time (its rate, and the stall bound on a transport that
 * takes nothing), so spans exported just before a natural exit still go out.
 */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  later(millis, task) {
    if (millis <= 0) {
      const immediate = setImmediate(task);
      return { cancel: () => clearImmediate(immediate) };
    }
    const timer = setTimeout(task, millis);
    return { cancel: () => clearTimeout(timer) };
  },
};
