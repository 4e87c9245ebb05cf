// The legacy library's basic example, call for call: a client request with a nested server response, an
// annotation and three tags (a string, an int, a double). Run it alone to send it to the backends your
// environment names (TOMOGRAPH_BACKENDS, OTEL_EXPORTER_ZIPKIN_ENDPOINT, TOMOGRAPH_STATSD_HOST); by default it
// prints the trace.
import { annotate, configure, start, stop, tag } from 'tomograph';

/** The scenario itself: what a Python user wrote with tomograph.start/annotate/tag/stop. */
export function legacyClientServer(): void {
  start('test client', 'client request', 'openstack1', 0);
  start('test server', 'server response', 'openstack1', 80);
  annotate('this is an annotation');
  tag('this is a string', 'foo');
  tag('this is an int', 42);
  tag('this is a double', 3.14159);
  stop('server response');
  stop('client request');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tomograph = configure({ backends: process.env.TOMOGRAPH_BACKENDS ? undefined : ['log'] });
  legacyClientServer();
  await tomograph.shutdown();
}
