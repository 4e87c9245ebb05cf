// The pure mapping from a span's facts to statsd metrics (name, value, type, tags), and the line format of one metric.
import { legacyNoteName, legacyTimerName, sanitizeName, sanitizeTagPart } from './names.js';
import type { NoteFacts, SpanFacts } from './span-facts.js';

/** What a user naming function is asked to name. */
export interface MetricNameInput {
  /**
   * `'duration'`: the span's timer. `'note'`: a counter for one note, the implicit `start` and `stop` included.
   * `'error'`: the error counter of a span whose status is ERROR (only with `errorCounter: true`).
   */
  readonly metric: 'duration' | 'note' | 'error';
  readonly span: SpanFacts;
  /** For `'note'`: the note, with its own endpoint. */
  readonly note?: NoteFacts;
}

/**
 * Your own metric name. Return `undefined` to send nothing for this metric. The result is sanitised (see
 * docs/statsd.md) and counts against `maxMetricNames`; a function that throws drops that metric and is reported.
 */
export type MetricNamer = (input: MetricNameInput) => string | undefined;

/** The statsd types this exporter sends: timer, histogram, DogStatsD distribution, counter. */
export type StatsdMetricType = 'ms' | 'h' | 'd' | 'c';

/** One metric ready to send. `name` is sanitised and prefixed; tags are `key:value`, sanitised. */
export interface StatsdMetric {
  readonly name: string;
  readonly type: StatsdMetricType;
  readonly value: number;
  readonly tags: readonly string[];
  /** The client-side sample rate the line carries (`|@rate`) when below 1. */
  readonly sampleRate?: number;
  /**
   * Tag mode's per-span metrics (duration, calls, errors): bounded by distinct tag sets per metric name, with an
   * overflow series, instead of by the distinct-name bound.
   */
  readonly series?: true;
  /**
   * For the counter of a note other than start/stop: the span's own metric it belongs to, so that distinct note
   * names can be bounded per span.
   */
  readonly noteOf?: string;
}

export interface MappingOptions {
  readonly naming: 'legacy' | 'tags' | MetricNamer;
  readonly notes: 'by-value' | 'fixed' | 'none';
  readonly fractionalDurations: boolean;
  /** Already normalised: empty or ending in `.`. */
  readonly prefix: string;
  /** The type of the duration metric. @default 'ms' */
  readonly durationType?: 'ms' | 'h' | 'd';
  /** Send an error counter for spans with status ERROR. @default false */
  readonly errorCounter?: boolean;
  /** Below 1: every metric carries it (`|@rate`); the exporter sends that share of spans. @default 1 */
  readonly sampleRate?: number;
}

/** What went wrong while mapping, for the exporter to count and report. */
export interface MappingProblems {
  clampedDurations: number;
  namerErrors: number;
}

/** The largest duration sent: 2^31 − 1 ms (24.8 days) is an integer every statsd server and Graphite accepts. */
export const MAX_DURATION_MS = 2_147_483_647;

/**
 * A duration that can go on the wire: NaN and negatives become 0, +Infinity and anything above MAX_DURATION_MS
 * becomes MAX_DURATION_MS. Legacy form truncates to whole milliseconds like the original's `int()`; the
 * fractional form keeps microseconds.
 */
export function clampDurationMs(ms: number, fractional: boolean): { value: number; clamped: boolean } {
  let value = ms;
  let clamped = false;
  if (Number.isNaN(value) || value < 0) {
    value = 0;
    clamped = true;
  } else if (value > MAX_DURATION_MS) {
    value = MAX_DURATION_MS;
    clamped = true;
  }
  value = fractional ? Math.round(value * 1000) / 1000 : Math.trunc(value);
  return { value, clamped };
}

const START = 'start';
const STOP = 'stop';
/** The name notes count on with `notes: 'fixed'`. */
const FIXED_NOTE = 'note';
/** Fixed names of tag mode. */
export const TAGS_TIMER_NAME = 'span.duration';
export const TAGS_NOTE_NAME = 'span.note';
export const TAGS_CALLS_NAME = 'span.calls';
export const TAGS_ERRORS_NAME = 'span.errors';
/** The legacy name's last part for the error counter: `<service>-<address>-<port>.<span>.errors`. */
const LEGACY_ERRORS = 'errors';
/** The one tag of an overflow series, as the Collector's spanmetrics marks its overflow data point. */
export const OVERFLOW_SERIES_TAGS: readonly string[] = Object.freeze(['otel.metric.overflow:true']);

/** Metrics without tags share one empty list: nothing downstream writes to it. */
const NO_TAGS: readonly string[] = Object.freeze([]);

function endpointNote(span: SpanFacts, value: string): NoteFacts {
  return { value, serviceName: span.serviceName, address: span.address, port: span.port };
}

function tagsOf(span: SpanFacts, endpoint: { serviceName: string; address: string; port: string }): string[] {
  const tags = [
    `service:${sanitizeTagPart(endpoint.serviceName)}`,
    `span:${sanitizeTagPart(span.name)}`,
    `endpoint:${sanitizeTagPart(`${endpoint.address}_${endpoint.port}`)}`,
    `kind:${span.kind}`,
    `status:${span.status}`,
  ];
  for (const [name, value] of span.dimensions) tags.push(`${sanitizeTagPart(name)}:${sanitizeTagPart(value)}`);
  return tags;
}

/** `2xx`…`5xx`: the class of an HTTP status code, as dashboards group them. */
function statusClassOf(code: number): string {
  return `${Math.floor(code / 100)}xx`;
}

/**
 * One metric, with `noteOf`, `sampleRate` and `series` only when it has them (so metrics compare equal whichever
 * path made them).
 */
function metricOf(
  name: string,
  type: StatsdMetricType,
  value: number,
  tags: readonly string[],
  noteOf: string | undefined,
  sampleRate = 1,
  series = false,
): StatsdMetric {
  const metric: { -readonly [K in keyof StatsdMetric]: StatsdMetric[K] } =
    noteOf === undefined ? { name, type, value, tags } : { name, type, value, tags, noteOf };
  if (sampleRate < 1) metric.sampleRate = sampleRate;
  if (series) metric.series = true;
  return metric;
}

/**
 * The unsanitised name of one metric of `span`: its timer when `note` is undefined, else that note's counter; or
 * undefined to send nothing (a user's function said so, or threw: counted in `problems`).
 */
function nameOf(
  naming: 'legacy' | MetricNamer,
  span: SpanFacts,
  spanKey: string,
  note: NoteFacts | undefined,
  problems: MappingProblems,
  metric: 'duration' | 'error' = 'duration',
): string | undefined {
  if (naming === 'legacy') {
    if (note !== undefined) return legacyNoteName(note.serviceName, note.address, note.port, span.name, note.value);
    return metric === 'error' ? `${spanKey}.${LEGACY_ERRORS}` : spanKey;
  }
  try {
    const name = naming(note === undefined ? { metric, span } : { metric: 'note', span, note });
    return typeof name === 'string' ? name : undefined;
  } catch {
    // A user's function must not break the export of every other metric: drop this one and count it.
    problems.namerErrors += 1;
    return undefined;
  }
}

/** Adds the untagged metric named `name` (sanitised, prefixed) unless the name is undefined. */
function pushNamed(
  metrics: StatsdMetric[],
  prefix: string,
  name: string | undefined,
  type: StatsdMetricType,
  value: number,
  noteOf: string | undefined,
  sampleRate: number,
): void {
  if (name !== undefined)
    metrics.push(metricOf(`${prefix}${sanitizeName(name)}`, type, value, NO_TAGS, noteOf, sampleRate));
}

/**
 * The metrics of one span, in the original's order: the timer, then `start`, each note in order, then `stop`, then
 * (with `errorCounter`, on an ERROR span) `errors`. Tag mode sends the duration, a call counter, an error counter
 * and the notes: no start/stop.
 */
export function spanToMetrics(span: SpanFacts, options: MappingOptions, problems: MappingProblems): StatsdMetric[] {
  const duration = clampDurationMs(span.durationMs, options.fractionalDurations);
  if (duration.clamped) problems.clampedDurations += 1;
  const metrics: StatsdMetric[] = [];
  const { naming, notes, prefix } = options;
  const durationType = options.durationType ?? 'ms';
  const rate = options.sampleRate ?? 1;
  const countErrors = options.errorCounter === true && span.status === 'error';

  if (naming === 'tags') {
    const tags = tagsOf(span, span);
    metrics.push(metricOf(`${prefix}${TAGS_TIMER_NAME}`, durationType, duration.value, tags, undefined, rate, true));
    metrics.push(metricOf(`${prefix}${TAGS_CALLS_NAME}`, 'c', 1, tags, undefined, rate, true));
    if (countErrors) {
      const errorTags =
        span.httpStatusCode === undefined ? tags : [...tags, `http.status_class:${statusClassOf(span.httpStatusCode)}`];
      metrics.push(metricOf(`${prefix}${TAGS_ERRORS_NAME}`, 'c', 1, errorTags, undefined, rate, true));
    }
    if (notes === 'none') return metrics;
    // The per-span note bound is keyed by the span's own legacy timer name, whatever the naming, so that one span
    // name cannot fill the whole budget with its notes. Only counting by value needs it.
    const spanKey =
      notes === 'by-value' && span.notes.length > 0
        ? legacyTimerName(span.serviceName, span.address, span.port, span.name)
        : undefined;
    for (const note of span.notes) {
      const noteTags = tagsOf(span, note);
      if (notes === 'by-value') noteTags.push(`note:${sanitizeTagPart(note.value)}`);
      metrics.push(metricOf(`${prefix}${TAGS_NOTE_NAME}`, 'c', 1, noteTags, spanKey, rate));
    }
    return metrics;
  }

  const spanKey = legacyTimerName(span.serviceName, span.address, span.port, span.name);
  pushNamed(
    metrics,
    prefix,
    nameOf(naming, span, spanKey, undefined, problems),
    durationType,
    duration.value,
    undefined,
    rate,
  );
  pushNamed(
    metrics,
    prefix,
    nameOf(naming, span, spanKey, endpointNote(span, START), problems),
    'c',
    1,
    undefined,
    rate,
  );
  if (notes !== 'none') {
    for (const note of span.notes) {
      const counted = notes === 'fixed' ? { ...note, value: FIXED_NOTE } : note;
      pushNamed(
        metrics,
        prefix,
        nameOf(naming, span, spanKey, counted, problems),
        'c',
        1,
        notes === 'fixed' ? undefined : spanKey,
        rate,
      );
    }
  }
  pushNamed(
    metrics,
    prefix,
    nameOf(naming, span, spanKey, endpointNote(span, STOP), problems),
    'c',
    1,
    undefined,
    rate,
  );
  if (countErrors)
    pushNamed(metrics, prefix, nameOf(naming, span, spanKey, undefined, problems, 'error'), 'c', 1, undefined, rate);
  return metrics;
}

/**
 * The byte length of the DogStatsD line of `metric` without building it (names and tags are ASCII after
 * sanitising); the Telegraf line is one byte shorter.
 */
export function metricLineLength(metric: StatsdMetric): number {
  // name ':' value '|' type; then '|#' and the tags with n-1 commas between them.
  let length = metric.name.length + 1 + String(metric.value).length + 1 + metric.type.length;
  if (metric.sampleRate !== undefined) length += 2 + String(metric.sampleRate).length;
  if (metric.tags.length > 0) {
    length += 2 + metric.tags.length - 1;
    for (const tag of metric.tags) length += tag.length;
  }
  return length;
}

/**
 * The line one metric makes on the wire when sent through a client without its own prefix or global tags:
 * `name:value|type`, then `|#k:v,…` (DogStatsD) or, for Telegraf, `name,k=v,…:value|type`.
 */
export function formatMetricLine(metric: StatsdMetric, tagFormat: 'dogstatsd' | 'telegraf' = 'dogstatsd'): string {
  const rate = metric.sampleRate === undefined ? '' : `|@${metric.sampleRate}`;
  if (metric.tags.length === 0) return `${metric.name}:${metric.value}|${metric.type}${rate}`;
  if (tagFormat === 'telegraf') {
    const tags = metric.tags.map((tag) => tag.replace(':', '='));
    return `${metric.name},${tags.join(',')}:${metric.value}|${metric.type}${rate}`;
  }
  return `${metric.name}:${metric.value}|${metric.type}${rate}|#${metric.tags.join(',')}`;
}
