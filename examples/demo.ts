// `npm run demo`: the legacy client/server scenario, and what each backend receives, with no server to install.
// - Zipkin: the trace drawn as a waterfall like Zipkin's view (the 'log' backend). With
//   OTEL_EXPORTER_ZIPKIN_ENDPOINT set, the spans also go to that Zipkin.
// - statsd: the exporter sends to a UDP listener embedded here, and each line is shown with the Graphite path
//   the statsd daemon files it under. With TOMOGRAPH_STATSD_HOST (and TOMOGRAPH_STATSD_PORT) set, the lines go to
//   that statsd instead.
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { configure, type BackendName } from 'tomograph';
import { graphitePath } from './graphite-view.js';
import { legacyClientServer } from './legacy-client-server.js';

const zipkinUrl = process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT || undefined;
const statsdHost = process.env.TOMOGRAPH_STATSD_HOST || undefined;

// The embedded statsd: a UDP socket on loopback that keeps what it receives.
const received: string[] = [];
const listener = dgram.createSocket('udp4');
listener.on('message', (datagram) => received.push(...datagram.toString('utf8').split('\n').filter(Boolean)));
listener.bind(0, '127.0.0.1');
await once(listener, 'listening');

const backends: BackendName[] = ['log', 'statsd'];
if (zipkinUrl) backends.push('zipkin');
const statsd = statsdHost
  ? { host: statsdHost, port: Number(process.env.TOMOGRAPH_STATSD_PORT || 8125) }
  : { host: '127.0.0.1', port: (listener.address() as AddressInfo).port };

console.log('tomograph demo: the legacy client/server example\n');
console.log(
  `The trace as Zipkin shows it, drawn by the 'log' backend${zipkinUrl ? ` (also sent to ${zipkinUrl})` : ''}:`,
);
const tomograph = configure({
  serviceName: 'tomograph demo',
  backends,
  statsd,
  ...(zipkinUrl ? { zipkin: { url: zipkinUrl } } : {}),
});
legacyClientServer();
await tomograph.shutdown();

if (statsdHost) {
  console.log(`\nstatsd: the metric lines went to ${statsd.host}:${statsd.port}.`);
} else {
  // Loopback UDP arrives at once; a short wait covers a busy machine.
  for (let waited = 0; received.length < 7 && waited < 1000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  console.log(
    `\nstatsd lines (received on the embedded listener at 127.0.0.1:${statsd.port}) → where Graphite files them:`,
  );
  const width = Math.max(...received.map((l) => l.length));
  for (const line of received) console.log(`  ${line.padEnd(width)}  →  ${graphitePath(line)}`);
}
listener.close();
