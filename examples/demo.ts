// `npm run demo`: the legacy client/server scenario, and what each backend receives, with no server to install.
// The trace is drawn as a waterfall like Zipkin's view. With OTEL_EXPORTER_ZIPKIN_ENDPOINT or
// TOMOGRAPH_STATSD_HOST set, the same spans also go to that Zipkin or statsd.
import { configure, type BackendName } from 'tomograph';
import { legacyClientServer } from './legacy-client-server.js';

const backends: BackendName[] = ['log'];
if (process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT) backends.push('zipkin');
if (process.env.TOMOGRAPH_STATSD_HOST) backends.push('statsd');

console.log('tomograph demo: the legacy client/server example');
console.log(`backends: ${backends.join(', ')}\n`);
const tomograph = configure({ serviceName: 'tomograph demo', backends });
legacyClientServer();
await tomograph.shutdown();
