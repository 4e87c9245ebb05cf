// An Express app traced by tomograph's middleware: every request is a server span continuing the caller's
// trace; handlers add notes, tags and nested spans to it. Run: npx tsx examples/express-app.ts
// It calls itself a few times on 127.0.0.1 and exits; with ZIPKIN_URL set it also sends to Zipkin.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { addTraceInfoHeader, annotate, configure, errorMiddleware, middleware, start, stop, tag } from 'tomograph';

const zipkinUrl = process.env.ZIPKIN_URL;
const tomograph = configure({
  backends: zipkinUrl === undefined ? ['log'] : ['log', 'zipkin'],
  zipkin: { url: zipkinUrl },
  shutdownTimeoutMillis: 2000,
});

const app = express();
// First, so that everything after it runs inside the request's span.
app.use(middleware({ serviceName: 'shop api', name: 'request' }));
app.get('/items/:id', async (req, res) => {
  tag('item.id', req.params.id);
  start('shop db', 'select item');
  await new Promise((resolve) => setTimeout(resolve, 5)); // the query
  stop('select item');
  annotate('item found');
  res.json({ id: req.params.id });
});
app.get('/broken', () => {
  throw new Error('out of stock'); // Express answers 500; the span is marked ERROR
});

// After the routes: the thrown error, with its message, on the request's span (marked ERROR).
app.use(errorMiddleware());
// Errors answer 500 without a stack trace on the terminal.
app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(500).json({ error: error.message });
});

const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

// A client in the same process, continuing its own trace into the app.
start('shop web', 'render page');
for (const path of ['/items/1', '/items/2', '/broken']) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: addTraceInfoHeader(new Headers()) });
  console.log(`GET ${path} -> ${res.status}`);
}
stop('render page');

server.close();
await tomograph.shutdown();
