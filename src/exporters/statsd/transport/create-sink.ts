// Picks the transport for the resolved options: our own UDP or TCP socket, or hot-shots for a client the user
// passed, for Unix datagram sockets and for Datadog mode.
import type { ResolvedStatsdOptions } from '../options.js';
import { DnsCache } from './dns-cache.js';
import { createHotShotsClient, HotShotsSink } from './hot-shots-sink.js';
import type { MetricSink, SinkEvents } from './sink.js';
import { TcpSink } from './tcp-sink.js';
import { UdpSink } from './udp-sink.js';

export function createSink(options: ResolvedStatsdOptions, events: SinkEvents): MetricSink {
  if (options.client !== undefined) return new HotShotsSink(options.client, false, events);
  if (options.protocol === 'uds' || options.datadog)
    return new HotShotsSink(createHotShotsClient(options, events), true, events);
  const common = {
    host: options.host,
    port: options.port,
    maxDatagramBytes: options.maxDatagramBytes,
    tagFormat: options.tagFormat,
    dns: new DnsCache(),
  };
  if (options.protocol === 'tcp')
    return new TcpSink({ ...common, reconnectMillis: 100, maxReconnectMillis: 10_000 }, events);
  return new UdpSink(common, events);
}
