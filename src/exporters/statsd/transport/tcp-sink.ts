// Lines over one TCP connection that comes back: after an error or a daemon restart it reconnects with
// exponential backoff; lines written while it is down are lost at once and counted; a peer that stops reading is
// given up after the stall bound (the exporter calls stalled()), so no pending write keeps the process alive.
import { connect, type Socket } from 'node:net';
import type { DnsCache } from './dns-cache.js';
import { DatagramSink, type SinkEvents } from './sink.js';

export interface TcpSinkOptions {
  host: string;
  port: number;
  maxDatagramBytes: number;
  tagFormat: 'dogstatsd' | 'telegraf';
  dns: DnsCache;
  /** First wait before reconnecting; doubled after each failure up to `maxReconnectMillis`. */
  reconnectMillis: number;
  maxReconnectMillis: number;
}

type State = 'idle' | 'connecting' | 'up' | 'down' | 'closed';

const DOWN = 'the statsd TCP connection is down';

export class TcpSink extends DatagramSink {
  private state: State = 'idle';
  private socket: Socket | undefined;
  private backoff: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly options: TcpSinkOptions,
    events: SinkEvents,
  ) {
    super(options.maxDatagramBytes, options.tagFormat, events);
    this.backoff = options.reconnectMillis;
  }

  /** Reconnections made so far (for tests and stats). */
  reconnects = 0;

  override ready(): boolean {
    if (this.state === 'connecting') return false;
    return !(this.state === 'up' && this.socket !== undefined && this.socket.writableNeedDrain);
  }

  override whenReady(wake: () => void): void {
    if (this.ready()) queueMicrotask(wake);
    else this.waiters.push(wake);
  }

  override stalled(): void {
    // Destroying fails every pending write (their lines are counted as lost) and schedules a reconnection.
    this.socket?.destroy(new Error('the statsd TCP peer took nothing within the stall bound'));
  }

  protected send(payload: string, _lines: number, settle: (error?: Error | null) => void): void {
    if (this.state === 'idle') this.open();
    const socket = this.socket;
    if (socket === undefined || this.state === 'down' || this.state === 'closed') {
      settle(new Error(DOWN));
      return;
    }
    try {
      socket.write(`${payload}\n`, (error) => settle(error));
    } catch (error) {
      settle(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private open(): void {
    this.state = 'connecting';
    const socket = connect({
      host: this.options.host,
      port: this.options.port,
      lookup: this.options.dns.lookup as never,
    });
    this.socket = socket;
    socket.unref();
    socket.setKeepAlive(true);
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.state = 'up';
      this.backoff = this.options.reconnectMillis;
      this.wake();
    });
    socket.on('drain', () => this.wake());
    socket.on('error', (error) => this.events.onError(error));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.state === 'closed') return;
      this.state = 'down';
      this.scheduleReconnect();
      this.wake();
    });
  }

  private scheduleReconnect(): void {
    // Jitter spreads the reconnections of many processes after a daemon restart.
    const delay = Math.round(this.backoff * (0.5 + Math.random() / 2));
    this.backoff = Math.min(this.backoff * 2, this.options.maxReconnectMillis);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.state !== 'down') return;
      this.reconnects += 1;
      this.open();
    }, delay);
    this.reconnectTimer.unref();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.state = 'closed';
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.wake();
    if (socket === undefined || socket.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
    });
  }

  destroy(): void {
    this.state = 'closed';
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.socket?.destroy();
    this.socket = undefined;
    this.wake();
  }
}
