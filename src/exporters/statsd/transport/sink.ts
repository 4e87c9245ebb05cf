// What the exporter sends metrics through, whatever the socket: the contract every transport keeps, and the
// datagram packing shared by the UDP and TCP transports (lines joined by `\n` up to maxDatagramBytes).
import { formatMetricLine, type StatsdMetric } from '../metrics.js';
import { DeliveryLedger, type Delivery } from './delivery.js';

export type { Delivery };

/** What a transport tells its owner. */
export interface SinkEvents {
  /** A socket or client error (DNS, refused, reset, EMSGSIZE…); counted and reported by the exporter. */
  onError(error: Error): void;
}

export interface MetricSink {
  /** Adds one metric; returns about how many bytes it adds to the wire. Never throws. */
  write(metric: StatsdMetric): number;
  /** Sends what is buffered; `done` once every line written since the last flush reached the socket or was lost. */
  flush(done: (delivery: Delivery) => void): void;
  /** False while the transport cannot take more now (connecting, or a TCP stream pushing back). */
  ready(): boolean;
  /** Calls `wake` once the transport may be ready again (it may call it more than once). */
  whenReady(wake: () => void): void;
  /** The transport took nothing for too long: drop what it holds (counted as lost) and start over. */
  stalled(): void;
  /** Closes gracefully; the exporter bounds the wait and then calls `destroy()`. */
  close(): Promise<void>;
  /** Ends every socket and timer now. Idempotent. */
  destroy(): void;
}

/** Packs lines into datagrams of at most `maxBytes`; subclasses put each datagram on their socket. */
export abstract class DatagramSink implements MetricSink {
  protected readonly ledger = new DeliveryLedger();
  private buffer = '';
  private lines = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly tagFormat: 'dogstatsd' | 'telegraf',
    protected readonly events: SinkEvents,
  ) {}

  write(metric: StatsdMetric): number {
    const line = formatMetricLine(metric, this.tagFormat);
    // Names and tags are ASCII after sanitising, so a string's length is its byte length.
    if (this.lines > 0 && this.buffer.length + 1 + line.length > this.maxBytes) this.emit();
    this.buffer = this.lines === 0 ? line : `${this.buffer}\n${line}`;
    this.lines += 1;
    return line.length + 1;
  }

  flush(done: (delivery: Delivery) => void): void {
    if (this.lines > 0) this.emit();
    this.ledger.close(done);
  }

  ready(): boolean {
    return true;
  }

  whenReady(wake: () => void): void {
    queueMicrotask(wake);
  }

  stalled(): void {}

  abstract close(): Promise<void>;
  abstract destroy(): void;

  /** Puts one datagram on the socket; `settle` once it was handed over (or failed). Must not throw. */
  protected abstract send(payload: string, lines: number, settle: (error?: Error | null) => void): void;

  private emit(): void {
    const payload = this.buffer;
    const lines = this.lines;
    this.buffer = '';
    this.lines = 0;
    this.send(payload, lines, this.ledger.begin(lines));
  }
}
