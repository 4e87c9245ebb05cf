// The pure mapping from a span's facts to statsd metrics (name, value, type, tags), and the line format of one metric.
import {
  legacyNoteName,
  legacyTimerName,
  sanitizeName,
  sanitizeTagPart,
} from './names.js';
import type { NoteFacts, SpanFacts } from './span-facts.js';

/** What a user naming function is asked to name. */
export interface MetricNameInput {
  /** `'duration'`: the span's timer. `'note'`: a counter for one note, the implicit `start` and `stop` included. */
  readonly metric: 'duration' | 'note';
  readonly span: SpanFacts;
  /** For `'note'`: the note, with its own endpoint. */
  readonly note?: NoteFacts;
}

/**
 * Your own metric name. Return `undefined` to send nothing for this metric. The result is sanitised (see
 * docs/statsd.md) and counts against `maxMetricNames`; a function that throws drops that metric and is reported.
 */
export type MetricNamer = (input: MetricNameInput) => string | undefined;

/** One metric ready to send. `name` is sanitised and prefixed; tags are `key:value`, sanitised. */
export interface StatsdMetric {
  readonly name: string;
  readonly type: 'ms' | 'c';
  readonly value: number;
  readonly tags: readonly string[];
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

function endpointNote(span: SpanFacts, value: string): NoteFacts {
  return { value, serviceName: span.serviceName, address: span.address, port: span.port };
}

function tagsOf(span: SpanFacts, endpoint: { serviceName: string; address: string; port: string }): string[] {
  return [
    `service:${sanitizeTagPart(endpoint.serviceName)}`,
    `span:${sanitizeTagPart(span.name)}`,
    `endpoint:${sanitizeTagPart(`${endpoint.address}_${endpoint.port}`)}`,
    `kind:${span.kind}`,
    `status:${span.status}`,
  ];
}

/**
 * The metrics of one span, in the original's order: the timer, then `start`, each note in order, then `stop`.
 * Tag mode sends the timer and the notes only (a statsd timer counts its samples, so start/stop add nothing).
 */
export function spanToMetrics(span: SpanFacts, options: MappingOptions, problems: MappingProblems): StatsdMetric[] {
  const duration = clampDurationMs(span.durationMs, options.fractionalDurations);
  if (duration.clamped) problems.clampedDurations += 1;
  const metrics: StatsdMetric[] = [];
  const { naming, prefix } = options;
  // The per-span note bound is keyed by the span's own legacy timer name, whatever the naming, so that one span
  // name cannot fill the whole budget with its notes.
  const spanKey = legacyTimerName(span.serviceName, span.address, span.port, span.name);

  if (naming === 'tags') {
    metrics.push({ name: `${prefix}${TAGS_TIMER_NAME}`, type: 'ms', value: duration.value, tags: tagsOf(span, span) });
    if (options.notes === 'none') return metrics;
    for (const note of span.notes) {
      const tags = tagsOf(span, note);
      if (options.notes === 'by-value') tags.push(`note:${sanitizeTagPart(note.value)}`);
      const metric: StatsdMetric = { name: `${prefix}${TAGS_NOTE_NAME}`, type: 'c', value: 1, tags };
      metrics.push(options.notes === 'by-value' ? { ...metric, noteOf: spanKey } : metric);
    }
    return metrics;
  }

  const nameOf = (input: MetricNameInput): string | undefined => {
    if (naming === 'legacy') {
      const note = input.note;
      return note === undefined ? spanKey : legacyNoteName(note.serviceName, note.address, note.port, span.name, note.value);
    }
    try {
      const name = naming(input);
      return typeof name === 'string' ? name : undefined;
    } catch {
      // A user's function must not break the export of every other metric: drop this one and count it.
      problems.namerErrors += 1;
      return undefined;
    }
  };
  const push = (input: MetricNameInput, type: 'ms' | 'c', value: number, noteOf?: string): void => {
    const name = nameOf(input);
    if (name === undefined) return;
    const metric: StatsdMetric = { name: `${prefix}${sanitizeName(name)}`, type, value, tags: [] };
    metrics.push(noteOf === undefined ? metric : { ...metric, noteOf });
  };

  push({ metric: 'duration', span }, 'ms', duration.value);
  push({ metric: 'note', span, note: endpointNote(span, START) }, 'c', 1);
  if (options.notes !== 'none') {
    for (const note of span.notes) {
      const counted = options.notes === 'fixed' ? { ...note, value: FIXED_NOTE } : note;
      push({ metric: 'note', span, note: counted }, 'c', 1, options.notes === 'fixed' ? undefined : spanKey);
    }
  }
  push({ metric: 'note', span, note: endpointNote(span, STOP) }, 'c', 1);
  return metrics;
}

/**
 * The byte length of the DogStatsD line of `metric` without building it (names and tags are ASCII after
 * sanitising); the Telegraf line is one byte shorter.
 */
export function metricLineLength(metric: StatsdMetric): number {
  // name ':' value '|' type; then '|#' and the tags with n-1 commas between them.
  let length = metric.name.length + 1 + String(metric.value).length + 1 + metric.type.length;
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
  if (metric.tags.length === 0) return `${metric.name}:${metric.value}|${metric.type}`;
  if (tagFormat === 'telegraf') {
    const tags = metric.tags.map((tag) => tag.replace(':', '='));
    return `${metric.name},${tags.join(',')}:${metric.value}|${metric.type}`;
  }
  return `${metric.name}:${metric.value}|${metric.type}|#${metric.tags.join(',')}`;
}
