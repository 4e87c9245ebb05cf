// The options of the HTTP server integrations (middleware, request-listener wrapper): checked once, up front.
import { TomographError } from '../../errors.js';

export interface HttpServerTracingOptions {
  /** The service the server span belongs to (the paste filter's `service_name`). */
  serviceName: string;
  /**
   * The server span's name. Keep it fixed: it is a lookup label in Zipkin and part of statsd metric names,
   * so it must not carry the URL.
   * @default 'HTTP'
   */
  name?: string;
  /**
   * Also continue traces from the Python tomograph's `X-Trace-Info` header, read by a strict parser that never
   * unpickles. Only while old Python services call this one.
   * @default false
   */
  legacyHeader?: boolean;
}

export type ResolvedHttpServerTracingOptions = Required<HttpServerTracingOptions>;

function invalid(message: string): TomographError {
  return new TomographError('INVALID_OPTION', `http tracing: ${message}`);
}

export function resolveHttpServerTracingOptions(options: HttpServerTracingOptions): ResolvedHttpServerTracingOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object with a serviceName');
  const { serviceName, name = 'HTTP', legacyHeader = false } = options;
  if (typeof serviceName !== 'string' || serviceName === '')
    throw invalid(`serviceName must be a non-empty string, got ${JSON.stringify(serviceName)}`);
  if (typeof name !== 'string' || name === '')
    throw invalid(`name must be a non-empty string, got ${JSON.stringify(name)}`);
  if (typeof legacyHeader !== 'boolean')
    throw invalid(`legacyHeader must be a boolean, got ${JSON.stringify(legacyHeader)}`);
  return { serviceName, name, legacyHeader };
}
