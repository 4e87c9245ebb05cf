// The options of the Zipkin span processor: documented, validated once at configuration time, defaults in one place.
import { MAX_TIMER_MILLIS, optionChecks } from '../../option-checks.js';

export interface ZipkinProcessorOptions {
  /**
   * Where spans are POSTed (Zipkin's v2 JSON endpoint).
   * @default process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT, else 'http://localhost:9411/api/v2/spans'
   */
  url?: string;
  /** Extra HTTP headers on every POST (e.g. an auth token for a collector behind a proxy). */
  headers?: Record<string, string>;
  /** The service name of spans that carry none, neither as a span attribute nor in the resource. */
  serviceName?: string;
  /**
   * How long one export request may take before it is abandoned (its socket destroyed and its spans counted as
   * dropped); also the bound on `forceFlush()` and `shutdown()`, whatever the collector does.
   * @default 5000 (the Python sender's socket timeout)
   */
  timeoutMillis?: number;
  /** Spans waiting to be sent; beyond it, new spans are dropped and counted. @default 2048 */
  maxQueueSize?: number;
  /** Spans per POST. @default 512 */
  maxExportBatchSize?: number;
  /** How long a span may wait for its batch. @default 1000 (the Python sender's write interval) */
  scheduledDelayMillis?: number;
}

export type ResolvedZipkinProcessorOptions = Required<Omit<ZipkinProcessorOptions, 'url' | 'headers' | 'serviceName'>> &
  Pick<ZipkinProcessorOptions, 'url' | 'headers' | 'serviceName'>;

const { invalidOption: invalid, wholeNumber, httpUrl } = optionChecks({ prefix: 'zipkin: ' });

/** Checks the options and fills in the defaults; throws TomographError('INVALID_OPTION') naming the bad one. */
export function resolveZipkinProcessorOptions(options: ZipkinProcessorOptions = {}): ResolvedZipkinProcessorOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  const { url, headers, serviceName } = options;
  httpUrl(url, 'url');
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
      throw invalid('headers must be an object of strings');
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== 'string') throw invalid(`headers.${name} must be a string, got ${typeof value}`);
    }
  }
  if (serviceName !== undefined && (typeof serviceName !== 'string' || serviceName === ''))
    throw invalid('serviceName must be a non-empty string');
  const maxQueueSize = wholeNumber(options.maxQueueSize, 'maxQueueSize', {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 2048,
  });
  const maxExportBatchSize = wholeNumber(options.maxExportBatchSize, 'maxExportBatchSize', {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    fallback: Math.min(512, maxQueueSize),
  });
  if (maxExportBatchSize > maxQueueSize)
    throw invalid(`maxExportBatchSize (${maxExportBatchSize}) must not exceed maxQueueSize (${maxQueueSize})`);
  return {
    url,
    headers,
    serviceName,
    timeoutMillis: wholeNumber(options.timeoutMillis, 'timeoutMillis', {
      min: 1,
      max: MAX_TIMER_MILLIS,
      fallback: 5000,
    }),
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: wholeNumber(options.scheduledDelayMillis, 'scheduledDelayMillis', {
      min: 1,
      max: MAX_TIMER_MILLIS,
      fallback: 1000,
    }),
  };
}
