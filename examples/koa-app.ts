// A Koa app (2 or 3) traced by tomograph: npm install tomograph koa, then run this file.
import Koa from 'koa';
import { annotate, configure, start, stop } from 'tomograph';
import { koaTracing } from 'tomograph/koa';

const tomograph = configure({ backends: ['log'] }); // or 'zipkin', 'statsd', 'otlp': see Configuration
const app = new Koa();
// First: every middleware after it runs inside the request's span.
app.use(koaTracing({ serviceName: 'shop api' }));
app.use(async (ctx) => {
  start('shop db', 'select item');
  await new Promise((resolve) => setTimeout(resolve, 5)); // the query
  stop('select item');
  annotate('item found');
  ctx.body = { path: ctx.path };
});
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void tomograph.shutdown())); // sends the last spans
