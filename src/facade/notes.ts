// annotate and tag: notes (OTel events) and tags (OTel attributes) on the innermost active span (never on a web
// framework's layer span: see note-target.ts). With no span active the legacy library opened an `orphan` span; so
// do we, so that the note is not lost, and we say so. A span that has ended (the request's, after the response)
// cannot take a note either: the orphan then joins its trace.
import { trace, type Attributes, type AttributeValue, type Span } from '@opentelemetry/api';
import {
  ATTR_ENDPOINT_ADDRESS,
  ATTR_ENDPOINT_PORT,
  ATTR_NOTE_DURATION_MS,
  ATTR_ORPHAN,
  ATTR_SERVICE_NAME,
} from '../attributes.js';
import { activeContext } from '../context/activation.js';
import { asText, contain, quoted, reportMisuse } from './misuse.js';
import { hasEnded, noteTarget } from './note-target.js';
import { facadeTracer } from './tracer.js';

/** Options of {@link annotate}: the note's own endpoint (default: its span's) and a duration. */
export interface AnnotateOptions {
  /** The service that made the note, when it is not the span's (e.g. a database client). */
  serviceName?: string;
  /** The note's endpoint address. */
  address?: string;
  /** The note's endpoint port. */
  port?: number;
  /** How long what the note describes took, in milliseconds. */
  duration?: number;
}

/** The value types a tag may have, as in the original (str, int, float) plus boolean. */
export type TagValue = string | number | boolean;

/**
 * Runs `record` on a one-off `orphan` span, for a note or tag made while no span is active; the original did
 * the same. Only this path builds a message and a closure: the usual path in annotate/tag allocates neither.
 */
function recordOnOrphan(what: string, ended: Span | undefined, record: (span: Span) => void): void {
  reportMisuse(
    'NO_ACTIVE_SPAN',
    ended === undefined
      ? `${what} with no span active: recorded on an 'orphan' span`
      : `${what} after its span had ended (a request's after the response, a traced call's after it returned): recorded on an 'orphan' span in its trace`,
  );
  const parent = ended === undefined ? activeContext() : trace.setSpan(activeContext(), ended);
  const orphan = facadeTracer().startSpan('orphan', {
    attributes: {
      [ATTR_SERVICE_NAME]: 'orphan',
      [ATTR_ENDPOINT_ADDRESS]: '127.0.0.1',
      [ATTR_ENDPOINT_PORT]: 1,
      [ATTR_ORPHAN]: true,
    },
  }, parent);
  record(orphan);
  orphan.end();
}

function noteAttributes(options: AnnotateOptions | undefined): Attributes | undefined {
  if (options === undefined || options === null) return undefined;
  const attributes: Attributes = {};
  if (typeof options.serviceName === 'string') attributes[ATTR_SERVICE_NAME] = options.serviceName;
  if (typeof options.address === 'string') attributes[ATTR_ENDPOINT_ADDRESS] = options.address;
  if (typeof options.port === 'number') attributes[ATTR_ENDPOINT_PORT] = options.port;
  if (typeof options.duration === 'number') attributes[ATTR_NOTE_DURATION_MS] = options.duration;
  return attributes;
}

/** Adds a note (an OTel event named `value`) to the innermost active span, facade or OTel-native. */
export function annotate(value: string, options?: AnnotateOptions): void {
  try {
    if (typeof value !== 'string') {
      reportMisuse('INVALID_ARGUMENT', `annotate(): the value must be a string, got ${typeof value}`);
      value = asText(value);
    }
    const note = value;
    const attributes = noteAttributes(options);
    const span = noteTarget(activeContext());
    if (span !== undefined && !hasEnded(span)) span.addEvent(note, attributes);
    else recordOnOrphan(`annotate(${quoted(note)})`, span, (orphan) => orphan.addEvent(note, attributes));
  } catch (error) {
    contain('annotate', error);
  }
}

function isTagValue(value: unknown): value is TagValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Sets attribute `key` = `value` on the innermost active span, facade or OTel-native. */
export function tag(key: string, value: TagValue): void {
  try {
    if (typeof key !== 'string' || key.length === 0) {
      reportMisuse('INVALID_ARGUMENT', `tag(): the key must be a non-empty string, got ${typeof key === 'string' ? "''" : typeof key}`);
      return;
    }
    let checked: AttributeValue = value;
    if (!isTagValue(value)) {
      reportMisuse('INVALID_ARGUMENT', `tag(${quoted(key)}): the value must be a string, number or boolean, got ${value === null ? 'null' : typeof value}; recorded as a string`);
      checked = asText(value);
    }
    const span = noteTarget(activeContext());
    if (span !== undefined && !hasEnded(span)) span.setAttribute(key, checked);
    else recordOnOrphan(`tag(${quoted(key)})`, span, (orphan) => orphan.setAttribute(key, checked));
  } catch (error) {
    contain('tag', error);
  }
}
