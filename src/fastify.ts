// The 'tomograph/fastify' entry: the Fastify plugin. It never loads Fastify (an optional peer), nor does 'tomograph'.
export { fastifyTracing } from './integrations/fastify/plugin.js';
export type { FastifyTracingPlugin } from './integrations/fastify/plugin.js';
export type { HttpServerTracingOptions } from './integrations/http/options.js';
