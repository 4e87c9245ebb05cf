// Which lines reached the socket: every write of a datagram (or of a TCP chunk) is entered in the open batch, and
// a batch is closed by a flush; when all of its writes have called back, the flush learns how many lines were lost.
// This is what lets export() answer FAILED for exactly the spans whose lines did not go out.

/** The outcome of one flush: lines lost since the previous flush, and the first error seen. */
export interface Delivery {
  readonly linesLost: number;
  readonly error: Error | undefined;
}

interface Batch {
  pending: number;
  linesLost: number;
  error: Error | undefined;
  done: ((delivery: Delivery) => void) | undefined;
}

function openBatch(): Batch {
  return { pending: 0, linesLost: 0, error: undefined, done: undefined };
}

export class DeliveryLedger {
  private open = openBatch();

  /** A write of `lines` lines begins; call the result once with its error (or none) when it completes. */
  begin(lines: number): (error?: Error | null) => void {
    const batch = this.open;
    batch.pending += 1;
    let settled = false;
    return (error) => {
      if (settled) return;
      settled = true;
      batch.pending -= 1;
      if (error) this.note(batch, lines, error);
      this.finishIfDone(batch);
    };
  }

  /** Lines that never got as far as a write (the transport is down): lost now. */
  lose(lines: number, error: Error): void {
    this.note(this.open, lines, error);
  }

  /** Closes the open batch; `done` runs once every write in it has completed (at once if none is pending). */
  close(done: (delivery: Delivery) => void): void {
    const batch = this.open;
    this.open = openBatch();
    batch.done = done;
    this.finishIfDone(batch);
  }

  private note(batch: Batch, lines: number, error: Error): void {
    batch.linesLost += lines;
    batch.error ??= error;
  }

  private finishIfDone(batch: Batch): void {
    if (batch.pending > 0 || batch.done === undefined) return;
    const done = batch.done;
    batch.done = undefined;
    done({ linesLost: batch.linesLost, error: batch.error });
  }
}
