// annotate and tag: notes (OTel events) and tags (OTel attributes) on the innermost active span (never on a web
// framework's layer span: see note-target.ts). With no span active the legacy library pushed an `orphan` span that
// nothing ever stopped, so it sent nothing for the note (and kept later spans of that thread in the orphan's trace);
// we send nothing either, and say so. A span that has ended (the request's, after the response) cannot take a note
// either: the note is dropped the same way, and the report says the span had ended.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { ATTR_ENDPOINT_ADDRESS, ATTR_ENDPOINT_PORT, ATTR_NOTE_DURATION_MS, ATTR_SERVICE_NAME } from '../attributes.js';
import { activeContext } from '../context/activation.js';
import { endpointPort } from './endpoint-port.js';
import { asText, contain, quoted, reportMisuse } from './misuse.js';
import { isSpanEnded } from '../otel-internals/index.js';
import { noteTarget } from './note-target.js';

/** Options of {@link annotate}: the note's own endpoint (default: its span's) and a duration. */
export interface AnnotateOptions {
  /** The service that made the note, when it is not the span's (e.g. a database client). */
  serviceName?: string;
  /** The note's endpoint address. */
  address?: string;
  /**
   * The note's endpoint port: a whole number from 0 to 65535, or such a number as text (`'80'`), as the original took.
   */
  port?: number | string;
  /** How long what the note describes took, in milliseconds. */
  duration?: number;
}

/** The value types a tag may have, as in the original (str, int, float) plus boolean. */
export type TagValue = string | number | boolean;

/**
 * A note or tag made while no span is active: not recorded, as the original recorded nothing for it; reported
 * through `diag` each time (thrown in strict mode) and, the first time in the process, as a process warning.
 */
function dropOrphan(what: string, ended: boolean): void {
  reportMisuse(
    'NO_ACTIVE_SPAN',
    ended
      ? `${what} after its span had ended (a request's after the response, a traced call's after it returned): not recorded`
      : `${what} with no span active: not recorded`,
  );
}

function noteAttributes(options: AnnotateOptions | undefined): Attributes | undefined {
  if (options === undefined || options === null) return undefined;
  const attributes: Attributes = {};
  if (typeof options.serviceName === 'string') attributes[ATTR_SERVICE_NAME] = options.serviceName;
  if (typeof options.address === 'string') attributes[ATTR_ENDPOINT_ADDRESS] = options.address;
  if (options.port !== undefined && options.port !== null) {
    const port = endpointPort(options.port);
    if (port !== undefined) attributes[ATTR_ENDPOINT_PORT] = port;
    else
      reportMisuse(
        'INVALID_ARGUMENT',
        `annotate(): port must be a whole number from 0 to 65535 (or one as text), got ${quoted(options.port)}; the span's port is used`,
      );
  }
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
    if (span !== undefined && !isSpanEnded(span)) span.addEvent(note, attributes);
    else dropOrphan(`annotate(${quoted(note)})`, span !== undefined);
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
      reportMisuse(
        'INVALID_ARGUMENT',
        `tag(): the key must be a non-empty string, got ${typeof key === 'string' ? "''" : typeof key}`,
      );
      return;
    }
    let checked: AttributeValue = value;
    if (!isTagValue(value)) {
      reportMisuse(
        'INVALID_ARGUMENT',
        `tag(${quoted(key)}): the value must be a string, number or boolean, got ${value === null ? 'null' : typeof value}; recorded as a string`,
      );
      checked = asText(value);
    }
    const span = noteTarget(activeContext());
    if (span !== undefined && !isSpanEnded(span)) span.setAttribute(key, checked);
    else dropOrphan(`tag(${quoted(key)})`, span !== undefined);
  } catch (error) {
    contain('tag', error);
  }
}
