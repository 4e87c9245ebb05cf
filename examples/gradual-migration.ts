// A gradual migration: one service where some code still makes spans with the legacy calls and some has moved
// to the OpenTelemetry API. Both share one trace, and the migrated span keeps its legacy statsd names, so the
// Graphite dashboards do not notice the move. Prints the trace and the statsd lines each part produced.
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { annotate, configure, start, stop, tag } from 'tomograph';

// Not yet migrated: the request handler, written with the legacy calls.
async function handleRequest(): Promise<void> {
  start('nova api', 'GET /servers', '10.0.0.1', 8774);
  tag('tenant', 'demo');
  await listServers();
  annotate('servers listed');
  stop('GET /servers');
}

// Migrated: the same kind of span, written with the OpenTelemetry API. `service.name` and the endpoint
// attributes keep the legacy metric names; without them the exporter names the span from the resource.
async function listServers(): Promise<void> {
  const tracer = trace.getTracer('nova');
  await tracer.startActiveSpan(
    'list servers',
    {
      attributes: {
        'service.name': 'nova compute',
        'tomograph.endpoint.address': '10.0.0.2',
        'tomograph.endpoint.port': 8775,
      },
    },
    async (span) => {
      span.addEvent('query sent');
      span.setAttribute('servers', 3);
      await new Promise((resolve) => setTimeout(resolve, 5));
      span.end();
    },
  );
}

const received: string[] = [];
const statsd = dgram.createSocket('udp4');
statsd.on('message', (datagram) => received.push(...datagram.toString().split('\n').filter(Boolean)));
statsd.bind(0, '127.0.0.1');
await once(statsd, 'listening');

const tomograph = configure({
  serviceName: 'nova',
  backends: ['log', 'statsd'],
  statsd: { port: (statsd.address() as AddressInfo).port },
});
await handleRequest();
await tomograph.shutdown();
for (let waited = 0; received.length < 7 && waited < 1000; waited += 20) await new Promise((r) => setTimeout(r, 20));
statsd.close();

console.log('statsd lines:');
for (const line of received) console.log(`  ${line}`);
