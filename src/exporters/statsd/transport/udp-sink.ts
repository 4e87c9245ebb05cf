// Datagrams over UDP on a socket of our own: unref'd (it never keeps the process alive), host names looked up
// through the bounded DNS cache, every send's error routed to the ledger and the exporter (never the console).
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { DnsCache } from './dns-cache.js';
import { DatagramSink, type SinkEvents } from './sink.js';

export interface UdpSinkOptions {
  host: string;
  port: number;
  maxDatagramBytes: number;
  tagFormat: 'dogstatsd' | 'telegraf';
  dns: DnsCache;
}

export class UdpSink extends DatagramSink {
  private socket: Socket | undefined;
  private closed = false;

  constructor(
    private readonly options: UdpSinkOptions,
    events: SinkEvents,
  ) {
    super(options.maxDatagramBytes, options.tagFormat, events);
  }

  protected send(payload: string, _lines: number, settle: (error?: Error | null) => void): void {
    if (this.closed) {
      settle(new Error('the statsd socket is closed'));
      return;
    }
    try {
      this.socket ??= this.open();
      this.socket.send(payload, this.options.port, this.options.host, (error) => {
        if (error) this.events.onError(error);
        settle(error);
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.events.onError(failure);
      settle(failure);
    }
  }

  private open(): Socket {
    const family = isIP(this.options.host);
    // An address needs no lookup: Node's own answers it at once, where the cache would queue a tick and filter the
    // answer per datagram (the profile of a traced request showed it).
    const socket = createSocket(
      family === 0
        ? { type: 'udp4', lookup: this.options.dns.lookup as never }
        : { type: family === 6 ? 'udp6' : 'udp4' },
    );
    socket.on('error', (error) => this.events.onError(error));
    socket.unref();
    return socket;
  }

  close(): Promise<void> {
    this.closed = true;
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return Promise.resolve();
    return new Promise<void>((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  destroy(): void {
    void this.close();
  }
}
