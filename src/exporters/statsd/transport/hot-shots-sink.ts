// The one module that loads hot-shots: it sends through a client the user passed in, and through a client of our
// own for the transports only hot-shots has (Unix datagram sockets via unix-dgram) or when Datadog mode is asked
// for. Our own UDP and TCP transports serve everything else (see udp-sink.ts, tcp-sink.ts).
import { StatsD } from 'hot-shots';
import { TomographError } from '../../../errors.js';
import type { StatsdMetric } from '../metrics.js';
import { DeliveryLedger, type Delivery } from './delivery.js';
import type { MetricSink, SinkEvents } from './sink.js';

/** The hot-shots client type, for the exporter's `client` option. */
export type HotShotsClient = StatsD;

export interface OwnHotShotsOptions {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp' | 'uds';
  path?: string | undefined;
  maxDatagramBytes: number;
  flushIntervalMillis: number;
  tagFormat: 'dogstatsd' | 'telegraf';
  datadog: boolean;
}

/** hot-shots' `send` of a whole line and the name parts it adds; not in its typings. */
interface SendingClient {
  readonly prefix?: string;
  readonly suffix?: string;
  send(message: string, tags: string[] | undefined, callback: (error?: Error) => void): void;
}

/** The hot-shots internals a forced close needs; not in its typings, read defensively. */
interface ClientInternals {
  intervalHandle?: ReturnType<typeof setInterval>;
  socket?: { close?: () => void };
}

/** Makes a hot-shots client that never writes to the console and stays out of Datadog mode unless asked. */
export function createHotShotsClient(options: OwnHotShotsOptions, events: SinkEvents): StatsD {
  const { datadog } = options;
  try {
    return new StatsD({
      host: options.host,
      port: options.port,
      protocol: options.protocol,
      ...(options.path === undefined ? {} : { path: options.path }),
      maxBufferSize: options.maxDatagramBytes,
      bufferFlushInterval: options.flushIntervalMillis,
      telegraf: options.tagFormat === 'telegraf',
      // Without a handler hot-shots writes errors to the console and may throw a cached DNS error from a send.
      errorHandler: (error: Error) => events.onError(error),
      // hot-shots switches Datadog mode on from DD_* variables by itself; only the user may ask for it.
      datadog,
      includeDataDogTags: datadog,
      includeDatadogTelemetry: datadog,
      cacheDns: true,
    });
  } catch (cause) {
    throw new TomographError(
      'INVALID_OPTION',
      `StatsdSpanExporter: cannot create the statsd client: ${String(cause)}`,
      { cause },
    );
  }
}

export class HotShotsSink implements MetricSink {
  private readonly ledger = new DeliveryLedger();
  private state: 'open' | 'closing' | 'closed' = 'open';

  /** `owned`: the exporter made the client and closes it; a user's client is only flushed, never closed. */
  private linesSinceFlush = 0;

  constructor(
    private readonly client: StatsD,
    private readonly owned: boolean,
    private readonly events: SinkEvents,
  ) {}

  write(metric: StatsdMetric): number {
    this.linesSinceFlush += 1;
    // A buffered client calls back when the line is queued; an unbuffered one when it is sent, with its error.
    const settle = this.ledger.begin(1);
    const sent = (error?: Error): void => {
      if (error) this.events.onError(error);
      settle(error);
    };
    // The client's typings ask for a mutable array; hot-shots only reads it.
    const tags = metric.tags.length === 0 ? undefined : (metric.tags as string[]);
    try {
      if (metric.sampleRate !== undefined) this.sendSampled(metric, tags, sent);
      else if (metric.type === 'ms') this.client.timing(metric.name, metric.value, 1, tags, sent);
      else if (metric.type === 'h') this.client.histogram(metric.name, metric.value, 1, tags, sent);
      else if (metric.type === 'd') this.client.distribution(metric.name, metric.value, 1, tags, sent);
      else this.client.increment(metric.name, metric.value, 1, tags, sent);
    } catch (error) {
      sent(error instanceof Error ? error : new Error(String(error)));
    }
    return metric.name.length + 8;
  }

  /**
   * A line the exporter already sampled: hot-shots would sample it again (its own `Math.random()` per call), so it
   * goes through the client's `send`, which adds the client's prefix, suffix and global tags as the other calls do.
   */
  private sendSampled(metric: StatsdMetric, tags: string[] | undefined, sent: (error?: Error) => void): void {
    const client = this.client as unknown as SendingClient;
    client.send(
      `${client.prefix ?? ''}${metric.name}${client.suffix ?? ''}:${metric.value}|${metric.type}|@${metric.sampleRate}`,
      tags,
      sent,
    );
  }

  flush(done: (delivery: Delivery) => void): void {
    // A buffered client only tells whether its last buffer went out, not how many lines that held: when it did
    // not, the lines written since the last flush are counted lost (at most that many were).
    const settle = this.ledger.begin(this.linesSinceFlush);
    this.linesSinceFlush = 0;
    this.ledger.close(done);
    if (typeof this.client.flush !== 'function') {
      // A user's client from an older hot-shots: its own interval sends the buffer.
      settle();
      return;
    }
    try {
      this.client.flush((error?: Error) => {
        if (error) this.events.onError(error);
        settle(error ?? undefined);
      });
    } catch (error) {
      settle(error instanceof Error ? error : new Error(String(error)));
    }
  }

  ready(): boolean {
    return true;
  }

  whenReady(wake: () => void): void {
    queueMicrotask(wake);
  }

  stalled(): void {}

  close(): Promise<void> {
    if (!this.owned || this.state !== 'open') return Promise.resolve();
    this.state = 'closing';
    return new Promise<void>((resolve) => {
      try {
        this.client.close((error?: Error) => {
          if (error) this.events.onError(error);
          this.state = 'closed';
          resolve();
        });
      } catch (error) {
        this.events.onError(error instanceof Error ? error : new Error(String(error)));
        resolve();
      }
    });
  }

  /**
   * Ends the client's timer and socket when close() was never reached. Once hot-shots' close() has begun the socket
   * is its to close: closing a Unix datagram socket twice aborts the process (unix-dgram asserts).
   */
  destroy(): void {
    if (!this.owned || this.state !== 'open') return;
    this.state = 'closed';
    const internals = this.client as unknown as ClientInternals;
    try {
      if (internals.intervalHandle !== undefined) clearInterval(internals.intervalHandle);
      internals.socket?.close?.();
    } catch (error) {
      this.events.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
