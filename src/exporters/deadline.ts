// Waiting for flush and shutdown work with a bound: every backend and configure() settle within their documented
// time, whatever a peer does, and never reject (telemetry must not break the host).

/** What to do when the work is late or fails; each is called at most once, and neither may throw. */
export interface DeadlineHandlers {
  onTimeout(): void;
  onError(error: unknown): void;
}

// A handler reports through diag; a diag logger that throws must not turn into an uncaught exception here.
function settleQuietly(report: () => void): void {
  try {
    report();
  } catch {
    // Nothing left to report it to.
  }
}

/**
 * A promise that resolves when `work` settles or after `millis`, whichever comes first; it never rejects.
 *
 * The timer is deliberately not unref'd: were every socket and timer unref'd while `work` hangs, Node would exit
 * in the middle of an `await shutdown()` (an unsettled top-level await) instead of after the bound. It keeps the
 * process alive for `millis` at most.
 */
export function settleWithin(work: Promise<unknown>, millis: number, handlers: DeadlineHandlers): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      settleQuietly(handlers.onTimeout);
      resolve();
    }, millis);
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        settleQuietly(() => handlers.onError(error));
        resolve();
      },
    );
  });
}
