// An existing OpenTelemetry 2.x setup (API 1.9, sdk-trace-base 2, NodeSDK 0.2xx, with the stock Zipkin exporter,
// 10% of traces sampled) that adds tomograph's statsd exporter beside it — no facade. statsd counts every span,
// Zipkin gets the sampled tenth. Runs to completion and exits even when neither Zipkin nor statsd is listening.
//   npx tsx examples/existing-otel-setup.ts   (the 3.x line: existing-otel-setup-sdk3.ts)
// Environment: OTEL_EXPORTER_ZIPKIN_ENDPOINT (default http://127.0.0.1:9411/api/v2/spans), and
// TOMOGRAPH_STATSD_HOST, TOMOGRAPH_STATSD_PORT, TOMOGRAPH_STATSD_PROTOCOL, TOMOGRAPH_STATSD_PREFIX, which the
// exporter reads itself (default 127.0.0.1:8125 over UDP).
import { SpanKind, trace } from '@opentelemetry/api';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { alwaysRecordSampler, StatsdSpanExporter, StatsdSpanProcessor } from 'tomograph/statsd';

const statsd = new StatsdSpanExporter();

const sdk = new NodeSDK({
  resource: resourceFromAttributes({ 'service.name': 'nova api' }),
  // The sampler you had, wrapped: what it does not sample is still recorded (not exported to Zipkin), so that the
  // statsd processor sees every span. On SDK 2.9+ and 3, the SDK's createAlwaysRecordSampler does the same.
  sampler: alwaysRecordSampler(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.1) })),
  spanProcessors: [
    // BatchSpanProcessor passes on sampled spans only: Zipkin gets about a tenth.
    new BatchSpanProcessor(new ZipkinExporter()),
    // Every recording span, sampled or not, into the exporter's own bounded, paced queue: a slow or absent daemon
    // holds up nothing else.
    new StatsdSpanProcessor(statsd),
  ],
  autoDetectResources: false,
});
sdk.start();

// OTel-native code, as the application already has it.
const tracer = trace.getTracer('existing-app');
tracer.startActiveSpan(
  'GET /servers',
  { kind: SpanKind.SERVER, attributes: { 'server.address': 'api.example.com', 'server.port': 8774 } },
  (span) => {
    span.addEvent('db', { 'service.name': 'nova db', 'server.address': 'db.example.com', 'server.port': 3306 });
    span.end();
  },
);

// Graphite sees nova-api-api-example-com-8774.GET-/servers (timer) and its .start, .stop and (under nova db) .db
// counters.
// With no Zipkin listening, the stock exporter's final flush rejects sdk.shutdown() at once; the statsd processor is
// shut down all the same (processors shut down side by side), and its exporter's own shutdown() says when it is done.
await sdk.shutdown().catch((error: Error) => console.log(`shutdown: ${error.message}`));
await statsd.shutdown();
console.log('statsd exporter:', statsd.getStats());
