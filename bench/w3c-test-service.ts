// The test service the W3C Trace Context suite (w3c/trace-context, test/test.py) drives, built on tomograph's
// plain-Node request wrapper: for each `{url, arguments}` in the POSTed JSON array it POSTs `arguments` to `url`
// from a client span, with the headers addTraceInfoHeader() writes. A measurement tool, not part of `npm test` (the
// suite is Python
// and not in this repository). Run:
//   npx tsx bench/w3c-test-service.ts 5000 &
//   STRICT_LEVEL=2 python3 test/test.py http://127.0.0.1:5000/test    (from a clone of w3c/trace-context)
import http from 'node:http';
import { tomograph } from './built.js';

const { addTraceInfoHeader, configure, start, stop, traceRequestListener } = tomograph;

interface Action {
  url: string;
  arguments?: unknown;
}

function readJson(request: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(body || 'null'));
      } catch {
        resolve(null);
      }
    });
  });
}

function post(action: Action): Promise<void> {
  const body = JSON.stringify(action.arguments ?? []);
  // Each call is a client span of its own, so each callback sees its own parent id (the suite checks that).
  start('w3c-test-service', 'callback');
  const headers = addTraceInfoHeader({
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  });
  stop('callback');
  return new Promise((resolve) => {
    const request = http.request(action.url, { method: 'POST', headers }, (response) => {
      response.resume();
      response.on('end', resolve);
    });
    request.on('error', () => resolve());
    request.end(body);
  });
}

configure({ backends: [], propagation: ['w3c'] });
const port = Number(process.argv[2] ?? 5000);
http
  .createServer(
    traceRequestListener({ serviceName: 'w3c-test-service' }, async (request, response) => {
      const actions = await readJson(request);
      for (const action of Array.isArray(actions) ? (actions as Action[]) : []) await post(action);
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    }),
  )
  .listen(port, '127.0.0.1', () => console.log(`w3c test service on http://127.0.0.1:${port}/test`));
