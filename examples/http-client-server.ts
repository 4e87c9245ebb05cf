// The legacy client/server example across real HTTP: a client span calls a server on 127.0.0.1 with
// addTraceInfoHeader, and the server continues the trace with startHttp, adds the annotation and three tags.
// Run: npx tsx examples/http-client-server.ts — prints the trace; with ZIPKIN_URL=http://host:9411/api/v2/spans
// it also sends it to Zipkin, where it shows as one trace of two services.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addTraceInfoHeader, annotate, configure, start, startHttp, stop, tag } from 'tomograph';

/** The scenario: a server as the Python WSGI example wrote it, and one traced call to it. Returns the answer. */
export async function httpClientServer(): Promise<string> {
  const server = http.createServer((req, res) => {
    startHttp('test server', 'server response', req);
    annotate('this is an annotation');
    tag('this is a string', 'foo');
    tag('this is an int', 42);
    tag('this is a double', 3.14159);
    stop('server response');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  start('test client', 'client request', '127.0.0.1', 0);
  const body = await new Promise<string>((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/', agent: false, headers: addTraceInfoHeader({}) },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
  });
  stop('client request');
  await new Promise((resolve) => server.close(resolve));
  return body;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const zipkinUrl = process.env.ZIPKIN_URL;
  const tomograph = configure({
    backends: zipkinUrl === undefined ? ['log'] : ['log', 'zipkin'],
    zipkin: { url: zipkinUrl },
    shutdownTimeoutMillis: 2000,
  });
  console.log(`server answered: ${await httpClientServer()}`);
  await tomograph.shutdown();
}
