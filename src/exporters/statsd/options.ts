// The one options object of StatsdSpanExporter: its documented shape, its defaults in one place, and its validation.
import type { StatsD } from 'hot-shots';
import { hostname } from 'node:os';
import { optionChecks } from '../../option-checks.js';
import type { MetricNamer } from './metrics.js';

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
  client?: StatsD;
  /**
   * Prepended to every metric name; a `.` is added after it when missing. Sanitised like names.
   * @default ''
   */
  prefix?: string;
  /**
   * `'legacy'`: the Python tomograph's names (`<service>-<address>-<port>.<span>` timer and
   * `<…>.<span>.<note>` counters). `'tags'`: fixed names `span.duration` (timer) and `span.note` (counter) with
   * service, span, endpoint, kind and status as tags. A function: your own name for each metric (see
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
   * How many datagrams the exporter sends in one turn before waiting for the socket to take them and then
   * `turnIntervalMillis`. Smaller is gentler on a busy daemon and on the host's event loop.
   * @default 2
   */
  datagramsPerTurn?: number;
  /**
   * Pause between turns, in milliseconds; 0 only yields to the event loop. Over UDP nothing tells the sender that
   * the daemon's receive buffer is full — it just drops — so the pause caps the rate (at most 2 datagrams per ms by
   * default, about 2.8 MB/s) to what a daemon sharing a busy machine still reads. TCP pushes back by itself.
   * @default 1 over UDP and Unix sockets, 0 over TCP
   */
  turnIntervalMillis?: number;
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
}

/** The options after defaults and validation; what the rest of the exporter reads. */
export interface ResolvedStatsdOptions {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp' | 'uds';
  path: string | undefined;
  client: StatsD | undefined;
  prefix: string;
  naming: StatsdNaming;
  tagFormat: 'dogstatsd' | 'telegraf';
  notes: StatsdNoteCounting;
  maxMetricNames: number;
  maxNoteNamesPerSpan: number;
  fractionalDurations: boolean;
  maxDatagramBytes: number;
  datagramsPerTurn: number;
  turnIntervalMillis: number;
  maxQueuedSpans: number;
  flushIntervalMillis: number;
  shutdownTimeoutMillis: number;
  datadog: boolean;
  hostName: string;
}

const KNOWN_OPTIONS = [
  'host',
  'port',
  'protocol',
  'path',
  'client',
  'prefix',
  'naming',
  'tagFormat',
  'notes',
  'maxMetricNames',
  'maxNoteNamesPerSpan',
  'fractionalDurations',
  'maxDatagramBytes',
  'datagramsPerTurn',
  'turnIntervalMillis',
  'maxQueuedSpans',
  'flushIntervalMillis',
  'shutdownTimeoutMillis',
  'datadog',
  'hostName',
];

// The exporter's wording, which its users already match on: option names in quotes.
const { invalidOption: invalid, wholeNumber, onlyKnownKeys } = optionChecks({ prefix: 'StatsdSpanExporter: ', quoteNames: true });

function integerIn(options: StatsdSpanExporterOptions, key: keyof StatsdSpanExporterOptions, fallback: number, min: number, max: number): number {
  return wholeNumber(options[key], key, { min, max, fallback });
}

function oneOf<T extends string>(options: StatsdSpanExporterOptions, key: keyof StatsdSpanExporterOptions, allowed: readonly T[], fallback: T): T {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(`'${key}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function booleanOr(options: StatsdSpanExporterOptions, key: keyof StatsdSpanExporterOptions, fallback: boolean): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(`'${key}' must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function stringOr(options: StatsdSpanExporterOptions, key: keyof StatsdSpanExporterOptions, fallback: string): string {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw invalid(`'${key}' must be a string, got ${typeof value}`);
  return value;
}

/** Applies defaults and checks every option; throws TomographError('INVALID_OPTION') naming what was expected. */
export function resolveStatsdOptions(input: StatsdSpanExporterOptions | undefined): ResolvedStatsdOptions {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw invalid(`options must be an object, got ${input === null ? 'null' : typeof input}`);
  }
  const options = input ?? {};
  onlyKnownKeys(options, KNOWN_OPTIONS);

  const naming = options.naming ?? 'legacy';
  if (typeof naming !== 'function' && naming !== 'legacy' && naming !== 'tags') {
    throw invalid(`'naming' must be 'legacy', 'tags' or a function, got ${JSON.stringify(naming)}`);
  }
  const protocol = oneOf(options, 'protocol', ['udp', 'tcp', 'uds'] as const, 'udp');
  const path = options.path === undefined ? undefined : stringOr(options, 'path', '');
  if (protocol === 'uds' && !path && options.client === undefined) {
    throw invalid(`'path' (the Unix socket) is required with protocol 'uds'`);
  }
  const client = options.client;
  if (client !== undefined && (typeof client !== 'object' || client === null || typeof client.timing !== 'function' || typeof client.increment !== 'function')) {
    throw invalid(`'client' must be a hot-shots StatsD client`);
  }
  const host = stringOr(options, 'host', '127.0.0.1');
  if (host === '') throw invalid(`'host' must not be empty`);
  const hostName = stringOr(options, 'hostName', hostname());

  return {
    host,
    port: integerIn(options, 'port', 8125, 1, 65535),
    protocol,
    path,
    client,
    prefix: stringOr(options, 'prefix', ''),
    naming,
    tagFormat: oneOf(options, 'tagFormat', ['dogstatsd', 'telegraf'] as const, 'dogstatsd'),
    notes: oneOf(options, 'notes', ['by-value', 'fixed', 'none'] as const, 'by-value'),
    maxMetricNames: integerIn(options, 'maxMetricNames', 1000, 1, 10_000_000),
    maxNoteNamesPerSpan: integerIn(options, 'maxNoteNamesPerSpan', 100, 0, 10_000_000),
    fractionalDurations: booleanOr(options, 'fractionalDurations', false),
    // 64 leaves room for one ordinary line; 65507 is the largest UDP payload over IPv4.
    maxDatagramBytes: integerIn(options, 'maxDatagramBytes', protocol === 'uds' ? 8192 : 1432, 64, 65507),
    datagramsPerTurn: integerIn(options, 'datagramsPerTurn', 2, 1, 10_000),
    // The millisecond bounds here are far below the timer ceiling (MAX_TIMER_MILLIS) on purpose: a flush or
    // shutdown wait of more than an hour is a mistake, not a setting.
    turnIntervalMillis: integerIn(options, 'turnIntervalMillis', protocol === 'tcp' ? 0 : 1, 0, 1000),
    maxQueuedSpans: integerIn(options, 'maxQueuedSpans', 100_000, 1, 100_000_000),
    flushIntervalMillis: integerIn(options, 'flushIntervalMillis', 1000, 1, 3_600_000),
    shutdownTimeoutMillis: integerIn(options, 'shutdownTimeoutMillis', 2000, 1, 600_000),
    datadog: booleanOr(options, 'datadog', false),
    hostName: hostName === '' ? 'localhost' : hostName,
  };
}
