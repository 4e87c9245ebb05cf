// A Fastify app (4 or 5) traced by tomograph: npm install tomograph fastify, then run this file.
import Fastify from 'fastify';
import { annotate, configure, start, stop } from 'tomograph';
import { fastifyTracing } from 'tomograph/fastify';

const tomograph = configure({ backends: ['log'] }); // or 'zipkin', 'statsd', 'otlp': see Configuration
const app = Fastify();
// Awaited, before your routes and plugins: it is not encapsulated, so on the root it traces the whole app.
await app.register(fastifyTracing({ serviceName: 'shop api' }));
app.get<{ Params: { id: string } }>('/items/:id', async (request) => {
  start('shop db', 'select item');
  await new Promise((resolve) => setTimeout(resolve, 5)); // the query
  stop('select item');
  annotate('item found');
  return { id: request.params.id };
});
app.addHook('onClose', () => tomograph.shutdown()); // sends the last spans
process.once('SIGTERM', () => void app.close());
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
