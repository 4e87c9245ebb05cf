// The legacy golden cases (test/fixtures/legacy-statsd-names.json, copied from ../shared/legacy/statsd-names.json:
// computed by the Python tomograph statsd backend's own code) and ways to replay them as real spans.
import type { Attributes, Tracer } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';

export interface GoldenAnnotation {
  value: string;
  offsetMs: number;
  serviceName?: string;
  address?: string;
  port?: number;
}

export interface GoldenCase {
  span: {
    serviceName: string;
    address: string;
    port: number;
    name: string;
    durationMs: number;
    annotations: GoldenAnnotation[];
  };
  lines: string[];
}

export const GOLDEN: GoldenCase[] = JSON.parse(
  readFileSync(new URL('../fixtures/legacy-statsd-names.json', import.meta.url), 'utf8'),
) as GoldenCase[];

/** Legacy names only: the part before `:` of each golden line. */
export function goldenNames(golden: GoldenCase): string[] {
  return golden.lines.map((line) => line.slice(0, line.lastIndexOf(':')));
}

const EPOCH_SECONDS = 1_700_000_000;

/** An HrTime `ms` after a fixed epoch, built from seconds and nanoseconds so no float rounding moves a millisecond. */
export function hrAfter(ms: number): [number, number] {
  return [EPOCH_SECONDS + Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
}

/**
 * Replays a golden case as OTel-native code would write it: service from the tracer's resource, the endpoint as
 * `server.address`/`server.port`, each note an event whose endpoint override uses the same attribute names.
 */
export function recordNative(tracer: Tracer, golden: GoldenCase): void {
  const { span: spec } = golden;
  const span = tracer.startSpan(spec.name, {
    kind: SpanKind.SERVER,
    startTime: hrAfter(0),
    attributes: { 'server.address': spec.address, 'server.port': spec.port },
  });
  for (const note of spec.annotations) {
    const attributes: Attributes = {};
    if (note.serviceName !== undefined) attributes['service.name'] = note.serviceName;
    if (note.address !== undefined) attributes['server.address'] = note.address;
    if (note.port !== undefined) attributes['server.port'] = note.port;
    span.addEvent(note.value, attributes, hrAfter(note.offsetMs));
  }
  span.end(hrAfter(spec.durationMs));
}
