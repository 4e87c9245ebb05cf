// The same small app on Fastify 4 and 5 and Koa 2 and 3, traced by tomograph's plugin or middleware, on a real
// server on 127.0.0.1. The framework modules are passed in, so that a test file can load them after registering
// OpenTelemetry instrumentation. Fastify and Koa are typed here by the few calls made, because Fastify 4 and 5 type
// their instances differently; the real types are checked where the plugin and middleware are registered in tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fastifyTracing } from 'tomograph/fastify';
import { koaTracing } from 'tomograph/koa';
import type { HttpServerTracingOptions } from 'tomograph';

/** What a route answers; a throw answers as the framework does (the error's status, else 500). */
export interface Answer {
  status?: number;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(input: { body: unknown; url: string }): Promise<Answer> | Answer;
}

export interface ServedApp {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface FastifyApp {
  register(plugin: unknown, options?: unknown): PromiseLike<unknown>;
  route(options: {
    method: string;
    url: string;
    handler: (request: { body: unknown; url: string }, reply: { code(status: number): unknown }) => Promise<unknown>;
  }): unknown;
  listen(options: { port: number; host: string }): Promise<string>;
  close(): PromiseLike<unknown>;
  server: http.Server;
}
export type FastifyFactory = (options?: object) => unknown;

interface KoaContext {
  method: string;
  path: string;
  url: string;
  req: http.IncomingMessage;
  status: number;
  body: unknown;
}
interface KoaApp {
  silent: boolean;
  use(middleware: (context: KoaContext, next: () => Promise<unknown>) => unknown): unknown;
  callback(): http.RequestListener;
}
export type KoaClass = new () => unknown;

export interface ServeOptions {
  /** tomograph's options; false: no tracing. */
  tracing: HttpServerTracingOptions | false;
  /** Fastify plugins registered after tomograph's (e.g. @fastify/otel's). */
  fastifyPlugins?: unknown[];
}

export interface Framework {
  name: string;
  serve(routes: Route[], options: ServeOptions): Promise<ServedApp>;
}

async function listening(server: http.Server): Promise<ServedApp> {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function fastifyFramework(name: string, factory: FastifyFactory): Framework {
  return {
    name,
    async serve(routes, options) {
      const app = factory() as FastifyApp;
      if (options.tracing !== false) await app.register(fastifyTracing(options.tracing));
      for (const plugin of options.fastifyPlugins ?? []) await app.register(plugin);
      for (const route of routes) {
        app.route({
          method: route.method,
          url: route.path,
          async handler(request, reply) {
            const answer = await route.handle({ body: request.body, url: request.url });
            reply.code(answer.status ?? 200);
            return answer.body;
          },
        });
      }
      await app.listen({ port: 0, host: '127.0.0.1' });
      const served = await listening(app.server);
      return { ...served, close: async () => void (await Promise.all([served.close(), app.close()])) };
    },
  };
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text === '' ? undefined : JSON.parse(text);
}

export function koaFramework(name: string, Koa: KoaClass): Framework {
  return {
    name,
    async serve(routes, options) {
      const app = new Koa() as KoaApp;
      // Koa prints the errors it answers 500 for unless told not to.
      app.silent = true;
      if (options.tracing !== false) app.use(koaTracing(options.tracing) as unknown as Parameters<KoaApp['use']>[0]);
      app.use(async (context) => {
        const route = routes.find((r) => r.method === context.method && r.path === context.path);
        if (route === undefined) {
          context.status = 404;
          return;
        }
        const body = context.method === 'POST' ? await readJson(context.req) : undefined;
        const answer = await route.handle({ body, url: context.url });
        context.status = answer.status ?? 200;
        context.body = answer.body;
      });
      return listening(http.createServer(app.callback()));
    },
  };
}
