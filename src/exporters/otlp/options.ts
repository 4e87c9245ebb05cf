// The options of the OTLP span processor: documented, validated once at configuration time, defaults in one place.
// The standard OTEL_EXPORTER_OTLP_* variables fill what the options leave out: the protocol and the timeout here
// (tomograph needs them to pick the exporter package and to bound shutdown); endpoint, headers, compression and
// certificates are read by the stock exporter itself.
import { MAX_TIMER_MILLIS, optionChecks } from '../../option-checks.js';

/**
 * OTLP over HTTP, as protobuf (the OTLP default) or as JSON. gRPC is not offered: it needs a third exporter package.
 */
export type OtlpProtocol = 'http/protobuf' | 'http/json';
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

/** The OTLP backend's own options, as configure() takes them under `otlp`. */
export interface OtlpBackendOptions {
  /**
   * The full URL spans are POSTed to.
   * @default process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + '/v1/traces', else
   *   'http://localhost:4318/v1/traces' (read by the stock exporter)
   */
  url?: string;
  /**
   * The encoding, which also chooses the exporter package: 'http/protobuf' needs
   * @opentelemetry/exporter-trace-otlp-proto, 'http/json' needs @opentelemetry/exporter-trace-otlp-http.
   * @default process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf'
   */
  protocol?: OtlpProtocol;
  /** Extra HTTP headers on every POST, over those of OTEL_EXPORTER_OTLP_(TRACES_)HEADERS. */
  headers?: Record<string, string>;
  /**
   * How long one export may take, retries included; also the bound on `forceFlush()` and `shutdown()`.
   * @default process.env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? OTEL_EXPORTER_OTLP_TIMEOUT ?? 10000
   */
  timeoutMillis?: number;
}

/** Options of {@link createOtlpBackend}: the backend's own, the fallback service name, and the batching. */
export interface OtlpProcessorOptions extends OtlpBackendOptions {
  /** The service of spans that name none, neither as a span attribute nor in their resource. */
  serviceName?: string;
  /** Spans waiting to be sent; beyond it, new spans are dropped. @default 2048 */
  maxQueueSize?: number;
  /** Spans per POST. @default 512 */
  maxExportBatchSize?: number;
  /** How long a span may wait for its batch. @default 1000 */
  scheduledDelayMillis?: number;
}

export const OTLP_BACKEND_KEYS = ['url', 'protocol', 'headers', 'timeoutMillis'];
const PROCESSOR_KEYS = [
  ...OTLP_BACKEND_KEYS,
  'serviceName',
  'maxQueueSize',
  'maxExportBatchSize',
  'scheduledDelayMillis',
];

export interface ResolvedOtlpProcessorOptions {
  url: string | undefined;
  protocol: OtlpProtocol;
  headers: Record<string, string> | undefined;
  serviceName: string | undefined;
  timeoutMillis: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
}

const {
  invalidOption: invalid,
  wholeNumber,
  onlyKnownKeys,
  httpUrl,
} = optionChecks({ prefix: 'otlp: ', quoteNames: true });
const MILLIS = { min: 1, max: MAX_TIMER_MILLIS } as const;

function protocolFrom(value: unknown, env: NodeJS.ProcessEnv): OtlpProtocol {
  const variable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const given = value ?? (env[variable] || undefined)?.trim() ?? 'http/protobuf';
  if (!OTLP_PROTOCOLS.includes(given as OtlpProtocol)) {
    const source = value === undefined ? ` (in ${variable})` : '';
    // Thrown, not warned: protobuf sent to a gRPC port (4317) would fail on every export, silently.
    throw invalid(
      `'protocol' must be 'http/protobuf' or 'http/json', got ${JSON.stringify(given)}${source}; for gRPC, add the stock gRPC exporter to your own OpenTelemetry setup`,
    );
  }
  return given as OtlpProtocol;
}

function timeoutFrom(value: unknown, env: NodeJS.ProcessEnv): number {
  if (value !== undefined) return wholeNumber(value, 'timeoutMillis', { ...MILLIS, fallback: 10_000 });
  const variable = env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT
    ? 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'
    : 'OTEL_EXPORTER_OTLP_TIMEOUT';
  const text = env[variable];
  if (!text) return 10_000;
  const millis = Number(text);
  if (!Number.isSafeInteger(millis) || millis < 1 || millis > MAX_TIMER_MILLIS) {
    throw invalid(
      `${variable} must be a whole number of milliseconds from 1 to ${MAX_TIMER_MILLIS}, got ${JSON.stringify(text)}`,
    );
  }
  return millis;
}

function headersFrom(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid("'headers' must be an object of strings");
  for (const [name, header] of Object.entries(value)) {
    if (typeof header !== 'string') throw invalid(`'headers.${name}' must be a string, got ${typeof header}`);
  }
  return value as Record<string, string>;
}

/** Checks the options and fills in the defaults; throws TomographError('INVALID_OPTION') naming the bad one. */
export function resolveOtlpProcessorOptions(
  options: OtlpProcessorOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOtlpProcessorOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  onlyKnownKeys(options, PROCESSOR_KEYS);
  const { serviceName } = options;
  if (serviceName !== undefined && (typeof serviceName !== 'string' || serviceName === ''))
    throw invalid("'serviceName' must be a non-empty string");
  const maxQueueSize = wholeNumber(options.maxQueueSize, 'maxQueueSize', { min: 1, fallback: 2048 });
  const maxExportBatchSize = wholeNumber(options.maxExportBatchSize, 'maxExportBatchSize', {
    min: 1,
    fallback: Math.min(512, maxQueueSize),
  });
  if (maxExportBatchSize > maxQueueSize)
    throw invalid(`'maxExportBatchSize' (${maxExportBatchSize}) must not exceed 'maxQueueSize' (${maxQueueSize})`);
  return {
    url: httpUrl(options.url, 'url'),
    protocol: protocolFrom(options.protocol, env),
    headers: headersFrom(options.headers),
    serviceName,
    timeoutMillis: timeoutFrom(options.timeoutMillis, env),
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: wholeNumber(options.scheduledDelayMillis, 'scheduledDelayMillis', {
      ...MILLIS,
      fallback: 1000,
    }),
  };
}
