// The legacy client/server example: a client span calls a server over HTTP on 127.0.0.1, and the server continues
// the trace with startHttp, adds a note and three tags. Run: npx tsx examples/http-client-server.ts
// Prints the trace as a waterfall; with ZIPKIN_URL=http://host:9411/api/v2/spans it also sends it to Zipkin.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addTraceInfoHeader, annotate, configure, start, startHttp, stop, tag } from 'tomograph';

const zipkinUrl = process.env.ZIPKIN_URL;
const tomograph = configure({
  backends: zipkinUrl === undefined ? ['log'] : ['log', 'zipkin'],
  zipkin: { url: zipkinUrl },
  shutdownTimeoutMillis: 2000,
});

// The server, as the Python WSGI example wrote it: start_http, a note, tags, stop.
const server = http.createServer((req, res) => {
  startHttp('test server', 'server handle', req);
  annotate('this is an annotation');
  tag('this is a string tag', 'a string');
  tag('this is an int tag', 42);
  tag('this is a float tag', 1.5);
  stop('server handle');
  res.end('ok');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

// The client: a span around the call, its token in the request headers.
start('test client', 'client call', '127.0.0.1', 0);
const body = await new Promise<string>((resolve, reject) => {
  const req = http.get({ host: '127.0.0.1', port, path: '/', headers: addTraceInfoHeader({}) }, (res) => {
    let text = '';
    res.on('data', (chunk: Buffer) => (text += chunk.toString()));
    res.on('end', () => resolve(text));
  });
  req.on('error', reject);
});
stop('client call');

console.log(`server answered: ${body}`);
server.close();
await tomograph.shutdown();
