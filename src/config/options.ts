// The options of configure(), their defaults and their validation, in one place. Bad options throw a
// TomographError naming the option and what was expected, before anything is registered.
import type { LogExporterOptions } from '../exporters/log/index.js';
import { OTLP_BACKEND_KEYS, type OtlpBackendOptions } from '../exporters/otlp/index.js';
import { statsdOptionsFromEnvironment, type StatsdSpanExporterOptions } from '../exporters/statsd/options.js';
import { MAX_TIMER_MILLIS, optionChecks } from '../option-checks.js';
import { reportIgnoredSetting } from './diagnostics.js';
import type { PropagationFormat } from '../propagation/propagators.js';
import { batchFromEnv } from './otel-env.js';

/** A place finished spans go. */
export type BackendName = 'zipkin' | 'otlp' | 'statsd' | 'log';
export const BACKEND_NAMES: readonly BackendName[] = ['zipkin', 'otlp', 'statsd', 'log'];

/** Options of the Zipkin backend (the stock OpenTelemetry ZipkinExporter). */
export interface ZipkinBackendOptions {
  /** Collector endpoint. @default process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT ?? 'http://localhost:9411/api/v2/spans' */
  url?: string;
  /** Extra HTTP headers sent with each export. */
  headers?: Record<string, string>;
}

/** How spans are queued before export; the defaults are the legacy sender's (queue 50000, write 1000, every 1 s). */
export interface BatchOptions {
  /** Finished spans held at most before new ones are dropped (counted, reported through diag). @default 50000 */
  maxQueueSize?: number;
  /** Spans handed to an exporter at once. @default 1000 */
  maxExportBatchSize?: number;
  /** Milliseconds between exports. @default 1000 */
  scheduledDelayMillis?: number;
  /** Milliseconds an export may take before it is given up. @default 30000 */
  exportTimeoutMillis?: number;
}

/** Options of {@link configure}. All optional. */
export interface ConfigureOptions {
  /**
   * The resource's `service.name`, for spans that do not name their own service (OTel-native spans).
   * @default process.env.OTEL_SERVICE_NAME ?? 'tomograph'
   */
  serviceName?: string;
  /**
   * Where finished spans go. @default process.env.TOMOGRAPH_BACKENDS (comma-separated) ?? ['zipkin', 'statsd']
   * @example ['otlp', 'statsd']
   */
  backends?: readonly BackendName[];
  /** Options of the 'zipkin' backend. */
  zipkin?: ZipkinBackendOptions;
  /**
   * Options of the 'otlp' backend (the stock OTLP/HTTP trace exporter of your OpenTelemetry line, an optional
   * peer dependency). Whatever is left out comes from the OTEL_EXPORTER_OTLP_* variables.
   */
  otlp?: OtlpBackendOptions;
  /**
   * Options of the 'statsd' backend (see docs/statsd.md). `host` and `port` default to
   * process.env.TOMOGRAPH_STATSD_HOST / TOMOGRAPH_STATSD_PORT, else 127.0.0.1:8125.
   */
  statsd?: StatsdSpanExporterOptions;
  /** Options of the 'log' backend. */
  log?: LogExporterOptions;
  /**
   * How trace context crosses process boundaries (registered as the global propagator unless one is registered
   * already): 'w3c' (traceparent), 'b3' (single header), 'b3multi' (X-B3-*); W3C baggage always.
   * `[]` (or OTEL_PROPAGATORS=none) registers none.
   * @default from process.env.OTEL_PROPAGATORS (tracecontext, b3, b3multi, none) ?? ['w3c']
   */
  propagation?: readonly PropagationFormat[];
  /**
   * Queueing before the 'zipkin' and 'otlp' exporters. The 'statsd' exporter sits behind a StatsdSpanProcessor and
   * queues in itself (`statsd.maxQueuedSpans`, paced by `statsd.maxBytesPerSecond`).
   */
  batch?: BatchOptions;
  /** Misuse of the facade throws a TomographError instead of a diag warning; for your own tests. @default false */
  strict?: boolean;
  /** Milliseconds `shutdown()` waits for the backends to flush and close before it gives up. @default 5000 */
  shutdownTimeoutMillis?: number;
}

/** ConfigureOptions with every default filled in. */
export interface ResolvedOptions {
  serviceName: string;
  backends: BackendName[];
  zipkin: ZipkinBackendOptions;
  /** Checked for unknown keys here; its values by createOtlpBackend(), before anything is registered. */
  otlp: OtlpBackendOptions;
  statsd: StatsdSpanExporterOptions;
  propagation: PropagationFormat[];
  log: LogExporterOptions;
  batch: Required<BatchOptions>;
  strict: boolean;
  shutdownTimeoutMillis: number;
}

// configure()'s wording, which its users match on: bare dotted option names, 'a whole number'.
const {
  invalidOption: invalid,
  wholeNumber,
  onlyKnownKeys,
  optionalObject,
  httpUrl,
} = optionChecks({ prefix: 'configure(): ', integer: 'a whole number' });

// Counts are bounded only by what a number holds exactly; saying so keeps the range in the message.
const COUNT = { min: 1, max: Number.MAX_SAFE_INTEGER } as const;
const MILLIS = { min: 1, max: MAX_TIMER_MILLIS } as const;

const CONFIGURE_KEYS = [
  'serviceName',
  'backends',
  'zipkin',
  'otlp',
  'statsd',
  'log',
  'propagation',
  'batch',
  'strict',
  'shutdownTimeoutMillis',
];
const ZIPKIN_KEYS = ['url', 'headers'];
const BATCH_KEYS = ['maxQueueSize', 'maxExportBatchSize', 'scheduledDelayMillis', 'exportTimeoutMillis'];

function backendsFrom(value: unknown, env: NodeJS.ProcessEnv): BackendName[] {
  const fromEnv = value === undefined && env.TOMOGRAPH_BACKENDS !== undefined;
  const list: unknown =
    value ??
    (fromEnv
      ? env
          .TOMOGRAPH_BACKENDS!.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : ['zipkin', 'statsd']);
  if (!Array.isArray(list))
    throw invalid(`backends must be an array of ${BACKEND_NAMES.map((b) => `'${b}'`).join(', ')}`);
  for (const name of list) {
    if (!BACKEND_NAMES.includes(name as BackendName)) {
      throw invalid(
        `unknown backend ${JSON.stringify(name)}${fromEnv ? ' (in TOMOGRAPH_BACKENDS)' : ''}; expected one of ${BACKEND_NAMES.map((b) => `'${b}'`).join(', ')}`,
      );
    }
  }
  return [...new Set(list as BackendName[])];
}

// OTEL_PROPAGATORS names (OpenTelemetry's environment specification) → ours; 'baggage' is always on with any
// other, and 'none' registers no propagator at all.
const OTEL_PROPAGATOR_NAMES: Record<string, PropagationFormat | null> = {
  tracecontext: 'w3c',
  b3: 'b3',
  b3multi: 'b3multi',
  baggage: null,
  none: null,
};

function propagationFrom(value: unknown, env: NodeJS.ProcessEnv): PropagationFormat[] {
  if (value !== undefined) {
    if (!Array.isArray(value)) throw invalid("propagation must be an array of 'w3c', 'b3', 'b3multi'");
    return [...value] as PropagationFormat[]; // each name is checked by createPropagator() before anything is registered
  }
  const names = (env.OTEL_PROPAGATORS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const formats: PropagationFormat[] = [];
  for (const name of names) {
    const format = OTEL_PROPAGATOR_NAMES[name];
    if (format === undefined) {
      // As OpenTelemetry's SDKs do: a propagator this setup does not know is skipped, not fatal.
      reportIgnoredSetting(
        `OTEL_PROPAGATORS names ${JSON.stringify(name)}, which tomograph does not know (it knows tracecontext, baggage, b3, b3multi, none); skipped`,
      );
      continue;
    }
    if (format !== null && !formats.includes(format)) formats.push(format);
  }
  if (names.includes('none')) return [];
  return formats.length > 0 ? formats : ['w3c'];
}

function statsdFrom(value: StatsdSpanExporterOptions | undefined, env: NodeJS.ProcessEnv): StatsdSpanExporterOptions {
  const given = optionalObject(value, 'statsd') as StatsdSpanExporterOptions;
  // The same TOMOGRAPH_STATSD_* reader a standalone exporter uses; options given in code win. A user's own client
  // carries its own address.
  if (given.client !== undefined) return { ...given };
  const resolved: StatsdSpanExporterOptions = { ...statsdOptionsFromEnvironment(env) };
  for (const [key, option] of Object.entries(given))
    if (option !== undefined) (resolved as Record<string, unknown>)[key] = option;
  return resolved;
}

/** Validates `options` and fills in the defaults (from the environment where documented). */
export function resolveOptions(
  options: ConfigureOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  if (options !== undefined && (options === null || typeof options !== 'object'))
    throw invalid('options must be an object');
  const given = options ?? {};
  onlyKnownKeys(given, CONFIGURE_KEYS, '');
  const serviceName = given.serviceName ?? env.OTEL_SERVICE_NAME ?? 'tomograph';
  if (typeof serviceName !== 'string' || serviceName.length === 0)
    throw invalid('serviceName must be a non-empty string');
  if (given.strict !== undefined && typeof given.strict !== 'boolean') throw invalid('strict must be a boolean');
  // Options in code win over OTEL_BSP_* variables, which win over the legacy sender's numbers.
  const batch = { ...batchFromEnv(env), ...(optionalObject(given.batch, 'batch', BATCH_KEYS) as BatchOptions) };
  const maxQueueSize = wholeNumber(batch.maxQueueSize, 'batch.maxQueueSize', { ...COUNT, fallback: 50_000 });
  // The default write size shrinks to a smaller queue given alone; one set by the user is checked against it.
  const maxExportBatchSize = wholeNumber(batch.maxExportBatchSize, 'batch.maxExportBatchSize', {
    ...COUNT,
    fallback: Math.min(1000, maxQueueSize),
  });
  if (maxExportBatchSize > maxQueueSize) throw invalid('batch.maxExportBatchSize must not exceed batch.maxQueueSize');
  const zipkin = optionalObject(given.zipkin, 'zipkin', ZIPKIN_KEYS) as ZipkinBackendOptions;
  httpUrl(zipkin.url, 'zipkin.url');
  return {
    serviceName,
    backends: backendsFrom(given.backends, env),
    zipkin,
    otlp: optionalObject(given.otlp, 'otlp', OTLP_BACKEND_KEYS) as OtlpBackendOptions,
    statsd: statsdFrom(given.statsd, env),
    propagation: propagationFrom(given.propagation, env),
    log: optionalObject(given.log, 'log'),
    batch: {
      maxQueueSize,
      maxExportBatchSize,
      scheduledDelayMillis: wholeNumber(batch.scheduledDelayMillis, 'batch.scheduledDelayMillis', {
        ...MILLIS,
        fallback: 1000,
      }),
      exportTimeoutMillis: wholeNumber(batch.exportTimeoutMillis, 'batch.exportTimeoutMillis', {
        ...MILLIS,
        fallback: 30_000,
      }),
    },
    strict: given.strict ?? false,
    shutdownTimeoutMillis: wholeNumber(given.shutdownTimeoutMillis, 'shutdownTimeoutMillis', {
      ...MILLIS,
      fallback: 5000,
    }),
  };
}
