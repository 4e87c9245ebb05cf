// The one options object of StatsdSpanExporter: its documented shape, its defaults in one place, and its validation.
import { hostname } from 'node:os';
import { optionChecks } from '../../option-checks.js';
import type { MetricNamer } from './metrics.js';
import type { HotShotsClient } from './transport/hot-shots-sink.js';
import type { SpanFacts, SpanKindName } from './span-facts.js';

/** How metric names are built. */
export type StatsdNaming = 'legacy' | 'tags' | MetricNamer;

/** How notes (span events) are counted. */
export type StatsdNoteCounting = 'by-value' | 'fixed' | 'none';

/** Options of {@link StatsdSpanExporter}. Every field is optional. */
export interface StatsdSpanExporterOptions {
  /**
   * Host of the statsd daemon. Ignored when `client` is given.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Port of the statsd daemon (UDP or TCP). Ignored when `client` is given.
   * @default 8125
   */
  port?: number;
  /**
   * Transport. `'uds'` sends datagrams to the Unix socket at `path` (needs the optional `unix-dgram` package).
   * @default 'udp'
   */
  protocol?: 'udp' | 'tcp' | 'uds';
  /** Path of the Unix datagram socket, for `protocol: 'uds'`. */
  path?: string;
  /**
   * A hot-shots client of your own. The exporter sends through it (its prefix, global tags and Telegraf setting
   * apply), flushes it on `forceFlush`/`shutdown`, and never closes it: you own it.
   * The connection options above (host, port, protocol, path, maxDatagramBytes, flushIntervalMillis, datadog) are
   * then ignored.
   */
  client?: HotShotsClient;
  /**
   * Prepended to every metric name; a `.` is added after it when missing. Sanitised like names.
   * @default ''
   */
  prefix?: string;
  /**
   * `'legacy'`: the Python tomograph's names (`<service>-<address>-<port>.<span>` timer and
   * `<…>.<span>.<note>` counters). `'tags'`: fixed names `span.duration` (see `durationType`), `span.calls`,
   * `span.errors` (see `errorCounter`) and `span.note` (counters) with service, span, endpoint, kind, status and your
   * `dimensions` as tags. A function: your own name for each metric (see
   * {@link MetricNamer}); its result is sanitised and bounded like any other name.
   * @default 'legacy'
   */
  naming?: StatsdNaming;
  /**
   * Tag syntax for `naming: 'tags'` when the exporter makes its own client: DogStatsD (`|#k:v`) or Telegraf
   * (`name,k=v`).
   * @default 'dogstatsd'
   */
  tagFormat?: 'dogstatsd' | 'telegraf';
  /**
   * `'by-value'`: one counter per distinct note value, as the original did (bounded by `maxNoteNamesPerSpan`).
   * `'fixed'`: every note other than start/stop counts on one fixed name (`<span>.note`; no `note` tag in tag mode).
   * `'none'`: notes are not counted (start/stop still are in legacy naming).
   * @default 'by-value'
   */
  notes?: StatsdNoteCounting;
  /**
   * Bound on distinct metric names (with tags, distinct name+tags) this exporter sends. A metric with a new name
   * past the bound is not sent; `tomograph.overflow` is incremented instead and the drop is reported through `diag`.
   * In tag mode it bounds the note counters; the span metrics have `maxSeriesPerMetric`.
   * @default 1000
   */
  maxMetricNames?: number;
  /**
   * Bound on distinct note counters under one span name (start and stop excluded), so that unbounded note values
   * (SQL text, ids) cannot use up `maxMetricNames`. Past it, the note counts on `tomograph.overflow`.
   * @default 100
   */
  maxNoteNamesPerSpan?: number;
  /**
   * Send durations as milliseconds with up to three decimals instead of truncated integers (the legacy form).
   * @default false
   */
  fractionalDurations?: boolean;
  /**
   * Largest datagram (or TCP write) the exporter builds, in bytes. A single line longer than this is dropped and
   * reported rather than sent. 1432 fits an Ethernet MTU; use 8932 on jumbo frames, 8192 for `uds`, 512 across the
   * internet.
   * @default 1432, or 8192 with protocol 'uds' (the size Datadog recommends for Unix sockets)
   */
  maxDatagramBytes?: number;
  /**
   * Sustained sending rate in bytes per second once a backlog builds up; a steady flow below it is never delayed.
   * Over UDP nothing tells the sender that the daemon's receive buffer is full (it just drops), so a long backlog
   * goes out at a rate a daemon still reads. `0` means unpaced. TCP also pushes back by itself.
   * @default 12582912 (12 MiB/s: about 50,000 spans/s of five 50-byte lines)
   */
  maxBytesPerSecond?: number;
  /**
   * Bytes that may go out at once (after a quiet time, or in one timer turn), before the rate applies. Keep it
   * well under the daemon's socket receive buffer (Linux default 208 KiB, of which small datagrams use about half
   * for payload). It also bounds how long an export of a whole batch waits on the clock (Node's timers wait 1 ms at
   * least): the SDK's BatchSpanProcessor sends one batch at a time and drops spans while it waits. Measured here,
   * 16 KiB made it drop spans at 35,000 spans/s, and 64 KiB at 16 MiB/s lost lines of a 20,000-span backlog at a
   * CPU-starved daemon.
   * @default 32768
   */
  burstBytes?: number;
  /**
   * Removed after 0.1.0: setting it throws `INVALID_OPTION` naming the replacement. `datagramsPerTurn: n` with
   * `turnIntervalMillis: t` is `burstBytes: n × maxDatagramBytes` and `maxBytesPerSecond: burstBytes × 1000 / t`.
   * @deprecated Use `maxBytesPerSecond` and `burstBytes`.
   */
  datagramsPerTurn?: never;
  /**
   * Removed after 0.1.0 (see `datagramsPerTurn`).
   * @deprecated Use `maxBytesPerSecond` (`0` for unpaced) and `burstBytes`.
   */
  turnIntervalMillis?: never;
  /**
   * Bound on spans waiting in the exporter to be sent. Exports beyond it answer FAILED and their spans are counted
   * as dropped. A BatchSpanProcessor hands one batch at a time; a SimpleSpanProcessor in a tight loop may queue many.
   * @default 100000
   */
  maxQueuedSpans?: number;
  /**
   * How often buffered lines are sent when no export fills a datagram. The timer never keeps the process alive.
   * @default 1000
   */
  flushIntervalMillis?: number;
  /**
   * Upper bound on `shutdown()` and `forceFlush()`: past it they resolve anyway (a TCP peer that refuses or never
   * answers cannot hold the host's exit), and what was still buffered is reported as lost.
   * @default 2000
   */
  shutdownTimeoutMillis?: number;
  /**
   * Let hot-shots' Datadog mode read `DD_*` environment variables (global tags, telemetry metrics, container id).
   * Off unless asked for, so an environment set up for another tool does not change metric lines.
   * @default false
   */
  datadog?: boolean;
  /**
   * The endpoint address of spans that carry none (see docs/statsd.md).
   * @default os.hostname()
   */
  hostName?: string;
  /**
   * Only spans recorded by these instrumentation scopes (tracer names; exact strings or patterns) become metrics.
   * @default every scope not in `excludeScopes`
   */
  scopes?: ReadonlyArray<string | RegExp>;
  /**
   * Spans recorded by these scopes never become metrics. The default leaves out OpenTelemetry's
   * auto-instrumentation packages, so that turning them on adds no metric names beside a legacy dashboard's; pass
   * `[]` to count their spans too.
   * @default [/^@opentelemetry\/instrumentation-/]
   */
  excludeScopes?: ReadonlyArray<string | RegExp>;
  /**
   * Only spans of these kinds become metrics.
   * @default every kind
   */
  kinds?: readonly SpanKindName[];
  /**
   * Your own choice, after `scopes`, `excludeScopes` and `kinds`: return false to send nothing for a span. A
   * function that throws skips that span, counted as `filterErrors`.
   */
  filter?: (span: SpanFacts) => boolean;
  /**
   * Bound on the memory the distinct-name bound keeps, in bytes of names (UTF-16 string length).
   * @default 1048576
   */
  maxNameBytes?: number;
  /**
   * The statsd type of the span's duration: `'ms'` (a timer), `'h'` (a histogram, for the DogStatsD agent and
   * Telegraf; Etsy statsd 0.9 reads it as a counter and sums the values, so keep `'ms'` there) or `'d'` (a DogStatsD
   * distribution, aggregated by the Datadog agent across hosts). Changes the type only, never the name.
   * @default 'ms'
   */
  durationType?: 'ms' | 'h' | 'd';
  /**
   * Send an error counter for each span whose status is ERROR: `span.errors` in tag mode (always on there unless
   * `false`, tagged with the class of `http.response.status_code` when the span has one), `<…>.<span>.errors` in
   * legacy naming (off there unless `true`: a legacy dashboard sees no new name by default), `metric: 'error'` for a
   * naming function.
   * @default true with naming 'tags', else false
   */
  errorCounter?: boolean;
  /**
   * Span attributes sent as extra tags in tag mode (`naming: 'tags'`), beside service, span, endpoint, kind and
   * status: e.g. `['http.route', 'http.request.method']`. A span without the attribute gets no such tag. Every
   * distinct tag set is a series: keep to attributes with few values (a route, not a URL).
   * @default []
   */
  dimensions?: readonly string[];
  /**
   * Tag mode: bound on distinct tag sets (series) of each of `span.duration`, `span.calls` and `span.errors`, as the
   * Collector's spanmetrics `aggregation_cardinality_limit`. A span with a new tag set past it is still counted and
   * timed, on one overflow series of that metric tagged `otel.metric.overflow:true`.
   * @default 1000
   */
  maxSeriesPerMetric?: number;
  /**
   * Client-side sampling for very high span rates: each span's metrics are sent with this probability and carry
   * `|@rate`, so the daemon scales counters (and timer counts) back up. `1` sends every span.
   * @default 1
   */
  sampleRate?: number;
  /**
   * How long spans wait for their resource's async attributes (NodeSDK's resource detectors) before their names
   * are read, as the SDK's own processors wait; past it they are dropped, counted as `spansDropped`.
   * @default 5000
   */
  resourceWaitMillis?: number;
}

/** Spans of these scopes are left out unless `excludeScopes` says otherwise (see its documentation). */
export const AUTO_INSTRUMENTATION_SCOPES: ReadonlyArray<string | RegExp> = Object.freeze([
  /^@opentelemetry\/instrumentation-/,
]);

const KINDS: readonly SpanKindName[] = ['internal', 'server', 'client', 'producer', 'consumer'];

/** Options that keep `undefined` as a meaning after resolution (absent: not used). */
type OptionalAfterDefaults = 'path' | 'client' | 'scopes' | 'kinds' | 'filter';
/** Options that were removed; kept in the type (as `never`) so that an editor shows what replaces them. */
type RemovedOption = 'datagramsPerTurn' | 'turnIntervalMillis';

/**
 * The options after defaults and validation; what the rest of the exporter reads. Derived from the public options
 * so that a new option is declared once: every option is required here, except those whose absence means "none".
 */
export type ResolvedStatsdOptions = Required<Omit<StatsdSpanExporterOptions, OptionalAfterDefaults | RemovedOption>> &
  Pick<StatsdSpanExporterOptions, OptionalAfterDefaults> & {
    /** `Infinity` when unpaced. */
    maxBytesPerSecond: number;
  };

// The exporter's wording, which its users already match on: option names in quotes.
const { invalidOption: invalid, wholeNumber } = optionChecks({ prefix: 'StatsdSpanExporter: ', quoteNames: true });

type Key = Exclude<keyof StatsdSpanExporterOptions, RemovedOption>;
type Protocol = ResolvedStatsdOptions['protocol'];

/** How one option is checked: its default (which may depend on the protocol) and its rule. */
type Rule =
  | { kind: 'integer'; min: number; max: number; fallback: number | ((protocol: Protocol) => number) }
  | { kind: 'choice'; allowed: readonly string[]; fallback: string }
  | { kind: 'boolean'; fallback: boolean }
  | { kind: 'text'; fallback: string | (() => string) | undefined }
  | { kind: 'other' };

const integer = (fallback: number | ((protocol: Protocol) => number), min: number, max: number): Rule => ({
  kind: 'integer',
  min,
  max,
  fallback,
});
const choice = (allowed: readonly string[], fallback: string): Rule => ({ kind: 'choice', allowed, fallback });
const flag = (fallback: boolean): Rule => ({ kind: 'boolean', fallback });
const text = (fallback: string | (() => string) | undefined): Rule => ({ kind: 'text', fallback });
const OTHER: Rule = { kind: 'other' };

/**
 * Every option, its default and its check, in one table: the list of known options, the defaults and the checks
 * all come from here. The millisecond bounds are far below the timer ceiling on purpose: a flush or shutdown wait
 * of more than an hour is a mistake, not a setting.
 */
const RULES: Record<Key, Rule> = {
  host: text('127.0.0.1'),
  port: integer(8125, 1, 65535),
  protocol: choice(['udp', 'tcp', 'uds'], 'udp'),
  path: text(undefined),
  client: OTHER,
  prefix: text(''),
  naming: OTHER,
  tagFormat: choice(['dogstatsd', 'telegraf'], 'dogstatsd'),
  notes: choice(['by-value', 'fixed', 'none'], 'by-value'),
  maxMetricNames: integer(1000, 1, 10_000_000),
  maxNoteNamesPerSpan: integer(100, 0, 10_000_000),
  maxNameBytes: integer(1 << 20, 1024, 1 << 30),
  fractionalDurations: flag(false),
  // 64 leaves room for one ordinary line; 65507 is the largest UDP payload over IPv4; 8192 is what Datadog
  // recommends for Unix sockets.
  maxDatagramBytes: integer((protocol) => (protocol === 'uds' ? 8192 : 1432), 64, 65507),
  maxBytesPerSecond: integer(12 << 20, 0, 1 << 30),
  burstBytes: integer(32 << 10, 64, 64 << 20),
  maxQueuedSpans: integer(100_000, 1, 100_000_000),
  flushIntervalMillis: integer(1000, 1, 3_600_000),
  shutdownTimeoutMillis: integer(2000, 1, 600_000),
  datadog: flag(false),
  hostName: text(() => hostname()),
  scopes: OTHER,
  excludeScopes: OTHER,
  kinds: OTHER,
  filter: OTHER,
  durationType: choice(['ms', 'h', 'd'], 'ms'),
  errorCounter: OTHER,
  dimensions: OTHER,
  maxSeriesPerMetric: integer(1000, 1, 10_000_000),
  sampleRate: OTHER,
  resourceWaitMillis: integer(5000, 1, 600_000),
};

const KNOWN_OPTIONS = Object.keys(RULES) as Key[];

/**
 * The pacing pair of 0.1.0 counted datagrams per timer turn; a rate in bytes says the same thing without depending on
 * the datagram size or on timer precision. A setup that still passes them fails at construction, with the
 * translation, rather than being paced differently from what it asked.
 */
const REMOVED_OPTIONS: Readonly<Record<RemovedOption, string>> = {
  datagramsPerTurn:
    "'datagramsPerTurn' was removed after 0.1.0: use 'burstBytes' (bytes sent at once; datagramsPerTurn × maxDatagramBytes) and 'maxBytesPerSecond' (burstBytes × 1000 / turnIntervalMillis)",
  turnIntervalMillis:
    "'turnIntervalMillis' was removed after 0.1.0: use 'maxBytesPerSecond' (burstBytes × 1000 / turnIntervalMillis; 0 for unpaced) and 'burstBytes'",
};

/**
 * The environment variables a standalone exporter and configure() both read, for options not given in code:
 * TOMOGRAPH_STATSD_HOST, _PORT, _PROTOCOL, _PREFIX and _PATH. Empty values count as unset. A value that is not
 * valid throws INVALID_OPTION naming the variable.
 */
export function statsdOptionsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): Pick<StatsdSpanExporterOptions, 'host' | 'port' | 'protocol' | 'prefix' | 'path'> {
  const read = (name: string): string | undefined => {
    const value = env[`TOMOGRAPH_STATSD_${name}`]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const options: Pick<StatsdSpanExporterOptions, 'host' | 'port' | 'protocol' | 'prefix' | 'path'> = {};
  const host = read('HOST');
  if (host !== undefined) options.host = host;
  const port = read('PORT');
  if (port !== undefined) {
    const number = Number(port);
    if (!/^\d+$/.test(port) || number < 1 || number > 65535) {
      throw invalid(
        `TOMOGRAPH_STATSD_PORT must be a port number from 1 to 65535, got ${JSON.stringify(env.TOMOGRAPH_STATSD_PORT)}`,
      );
    }
    options.port = number;
  }
  const protocol = read('PROTOCOL');
  if (protocol !== undefined) {
    if (!['udp', 'tcp', 'uds'].includes(protocol))
      throw invalid(`TOMOGRAPH_STATSD_PROTOCOL must be udp, tcp or uds, got ${JSON.stringify(protocol)}`);
    options.protocol = protocol as Protocol;
  }
  const prefix = read('PREFIX');
  if (prefix !== undefined) options.prefix = prefix;
  const path = read('PATH');
  if (path !== undefined) options.path = path;
  return options;
}

function checked(options: StatsdSpanExporterOptions, key: Key, protocol: Protocol): unknown {
  const rule = RULES[key];
  const value = options[key];
  switch (rule.kind) {
    case 'integer':
      return wholeNumber(value, key, {
        min: rule.min,
        max: rule.max,
        fallback: typeof rule.fallback === 'function' ? rule.fallback(protocol) : rule.fallback,
      });
    case 'choice':
      if (value === undefined) return rule.fallback;
      if (typeof value !== 'string' || !rule.allowed.includes(value)) {
        throw invalid(
          `'${key}' must be one of ${rule.allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`,
        );
      }
      return value;
    case 'boolean':
      if (value === undefined) return rule.fallback;
      if (typeof value !== 'boolean') throw invalid(`'${key}' must be true or false, got ${JSON.stringify(value)}`);
      return value;
    case 'text':
      if (value === undefined) return typeof rule.fallback === 'function' ? rule.fallback() : rule.fallback;
      if (typeof value !== 'string') throw invalid(`'${key}' must be a string, got ${typeof value}`);
      return value;
    case 'other':
      return value;
  }
}

function scopeList(value: unknown, key: Key): ReadonlyArray<string | RegExp> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' || entry instanceof RegExp)) {
    throw invalid(`'${key}' must be an array of scope names (strings) or patterns (RegExp)`);
  }
  return [...value];
}

/** The pacing asked for; `0` (unpaced) becomes an infinite rate. */
function pacing(
  options: StatsdSpanExporterOptions,
  protocol: Protocol,
): { maxBytesPerSecond: number; burstBytes: number } {
  const rate = checked(options, 'maxBytesPerSecond', protocol) as number;
  const burst = checked(options, 'burstBytes', protocol) as number;
  return { maxBytesPerSecond: rate === 0 ? Number.POSITIVE_INFINITY : rate, burstBytes: burst };
}

/**
 * Applies defaults (options given in code first, then the TOMOGRAPH_STATSD_* variables, then the table) and checks
 * every option; throws TomographError('INVALID_OPTION') naming what was expected.
 */
export function resolveStatsdOptions(
  input: StatsdSpanExporterOptions | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedStatsdOptions {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw invalid(`options must be an object, got ${input === null ? 'null' : typeof input}`);
  }
  const given = input ?? {};
  for (const key of Object.keys(given)) {
    if (Object.hasOwn(REMOVED_OPTIONS, key)) throw invalid(REMOVED_OPTIONS[key as RemovedOption]);
    if (!(KNOWN_OPTIONS as string[]).includes(key))
      throw invalid(`unknown option '${key}'; expected one of ${KNOWN_OPTIONS.join(', ')}`);
  }
  // A client of the user's own carries its own address: the environment does not apply to it.
  const options: StatsdSpanExporterOptions =
    given.client === undefined ? { ...statsdOptionsFromEnvironment(env), ...stripUndefined(given) } : given;

  const naming = options.naming ?? 'legacy';
  if (typeof naming !== 'function' && naming !== 'legacy' && naming !== 'tags') {
    throw invalid(`'naming' must be 'legacy', 'tags' or a function, got ${JSON.stringify(naming)}`);
  }
  const protocol = checked(options, 'protocol', 'udp') as Protocol;
  if (protocol === 'uds' && !options.path && options.client === undefined) {
    throw invalid(`'path' (the Unix socket) is required with protocol 'uds'`);
  }
  const client = options.client;
  if (
    client !== undefined &&
    (typeof client !== 'object' ||
      client === null ||
      typeof client.timing !== 'function' ||
      typeof client.increment !== 'function')
  ) {
    throw invalid(`'client' must be a hot-shots StatsD client`);
  }
  const host = checked(options, 'host', protocol) as string;
  if (host === '') throw invalid(`'host' must not be empty`);
  const hostName = checked(options, 'hostName', protocol) as string;
  const kinds = options.kinds;
  if (kinds !== undefined && (!Array.isArray(kinds) || !kinds.every((kind) => KINDS.includes(kind)))) {
    throw invalid(`'kinds' must be an array of ${KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  if (options.filter !== undefined && typeof options.filter !== 'function')
    throw invalid(`'filter' must be a function`);
  const errorCounter = options.errorCounter ?? naming === 'tags';
  if (typeof errorCounter !== 'boolean')
    throw invalid(`'errorCounter' must be true or false, got ${JSON.stringify(errorCounter)}`);
  const dimensions = dimensionList(options.dimensions, naming);
  const sampleRate = options.sampleRate ?? 1;
  if (typeof sampleRate !== 'number' || !(sampleRate > 0 && sampleRate <= 1)) {
    throw invalid(`'sampleRate' must be a number greater than 0 and at most 1, got ${JSON.stringify(sampleRate)}`);
  }
  const durationType = checked(options, 'durationType', protocol);
  if (durationType === 'd' && options.tagFormat === 'telegraf') {
    throw invalid(
      `'durationType' 'd' is a DogStatsD distribution, which Telegraf's statsd input does not read; use 'h' or 'ms'`,
    );
  }
  // Every option by its rule in the table; then the few that a rule cannot express.
  const resolved: Record<string, unknown> = {};
  for (const key of KNOWN_OPTIONS) resolved[key] = checked(options, key, protocol);
  return {
    ...(resolved as ResolvedStatsdOptions),
    naming,
    host,
    ...pacing(options, protocol),
    hostName: hostName === '' ? 'localhost' : hostName,
    scopes: scopeList(options.scopes, 'scopes'),
    excludeScopes: scopeList(options.excludeScopes, 'excludeScopes') ?? AUTO_INSTRUMENTATION_SCOPES,
    kinds: kinds === undefined ? undefined : [...kinds],
    errorCounter,
    dimensions,
    sampleRate,
  };
}

/** The `dimensions` option: attribute names, distinct, in tag mode only (other namings send no tags). */
function dimensionList(value: unknown, naming: StatsdNaming): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && entry !== '')) {
    throw invalid(`'dimensions' must be an array of span attribute names (non-empty strings)`);
  }
  if (value.length > 0 && naming !== 'tags') throw invalid(`'dimensions' are tags: they need naming 'tags'`);
  if (value.length > 20) throw invalid(`'dimensions' takes at most 20 attribute names, got ${value.length}`);
  return Object.freeze([...new Set(value as string[])]);
}

/** `options` without the keys set to undefined, so that they do not hide a value from the environment. */
function stripUndefined(options: StatsdSpanExporterOptions): StatsdSpanExporterOptions {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) result[key] = value;
  return result as StatsdSpanExporterOptions;
}
