// An existing OpenTelemetry 2.x setup (API 1.9, sdk-trace-base 2, NodeSDK 0.2xx, with the stock Zipkin exporter) that adds
// tomograph's statsd exporter beside it — no facade. Runs to completion and exits even when neither Zipkin nor statsd
// is listening.
//   npx tsx examples/existing-otel-setup.ts   (the 3.x line: existing-otel-setup-sdk3.ts)
// Environment: OTEL_EXPORTER_ZIPKIN_ENDPOINT (default http://127.0.0.1:9411/api/v2/spans), STATSD_HOST, STATSD_PORT.
import { SpanKind, trace } from '@opentelemetry/api';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { StatsdSpanExporter } from 'tomograph/statsd';

const statsd = new StatsdSpanExporter({
  host: process.env.STATSD_HOST ?? '127.0.0.1',
  port: Number(process.env.STATSD_PORT ?? 8125),
});

const sdk = new NodeSDK({
  resource: resourceFromAttributes({ 'service.name': 'nova api' }),
  spanProcessors: [
    new BatchSpanProcessor(new ZipkinExporter()),
    // The statsd exporter is one more exporter in its own processor: a slow or absent daemon holds up nothing else.
    new BatchSpanProcessor(statsd),
  ],
  autoDetectResources: false,
});
sdk.start();

// OTel-native code, as the application already has it.
const tracer = trace.getTracer('existing-app');
tracer.startActiveSpan('GET /servers', { kind: SpanKind.SERVER, attributes: { 'server.address': 'api.example.com', 'server.port': 8774 } }, (span) => {
  span.addEvent('db', { 'service.name': 'nova db', 'server.address': 'db.example.com', 'server.port': 3306 });
  span.end();
});

// Graphite sees nova-api-api-example-com-8774.GET-/servers (timer) and its .start, .stop and (under nova db) .db counters.
// With no Zipkin listening, the stock exporter's final flush rejects sdk.shutdown() at once; the statsd processor is
// shut down all the same (processors shut down side by side), and its exporter's own shutdown() says when it is done.
await sdk.shutdown().catch((error: Error) => console.log(`shutdown: ${error.message}`));
await statsd.shutdown();
console.log('statsd exporter:', statsd.getStats());
