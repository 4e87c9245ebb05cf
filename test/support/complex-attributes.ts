// Complex attribute values (API 1.10's AnyValue, OTEP 4485: maps, mixed arrays, bytes) on real spans of the run's
// line. The 3.x SDK keeps them on the span; the 2.x SDK drops them when they are set (API 1.9 has no such values),
// so on that line the processor below hands exporters a view of the span holding them, as a 3.x span would.
import type { Context, Span } from '@opentelemetry/api';
import type { SpanProcessor } from './sdk-line.js';

export const COMPLEX_ATTRIBUTES = {
  'app.map': { team: 'nova', limits: [1, 2], nested: { on: true } },
  'app.mixed': [1, 'two', false],
  'app.bytes': new Uint8Array([1, 2, 3]),
} as const;

/** How each value reads in every exporter: as JSON (bytes as base64, the form OTLP's JSON gives them). */
export const COMPLEX_AS_JSON = {
  'app.map': '{"team":"nova","limits":[1,2],"nested":{"on":true}}',
  'app.mixed': '[1,"two",false]',
  'app.bytes': '"AQID"',
} as const;

/** Sets the complex attributes on `span` through the API, as an app of the 3.x line does. */
export function setComplexAttributes(span: Span): void {
  for (const [key, value] of Object.entries(COMPLEX_ATTRIBUTES)) span.setAttribute(key, value as never);
}

/** Did the line's SDK keep the complex values on the finished span? (3.x: yes; 2.x: no.) */
export function keptComplex(span: { attributes: Record<string, unknown> }): boolean {
  return typeof span.attributes['app.map'] === 'object';
}

/** `inner`, fed each span with the complex values in place when the line's SDK dropped them. */
export function withComplexValues(inner: SpanProcessor): SpanProcessor & { sdkKept: boolean[] } {
  const sdkKept: boolean[] = [];
  return {
    sdkKept,
    onStart: (span: never, parent: Context) => inner.onStart(span, parent),
    onEnd(span: { attributes: Record<string, unknown> }) {
      const kept = keptComplex(span);
      sdkKept.push(kept);
      inner.onEnd(
        (kept
          ? span
          : Object.create(span, { attributes: { value: { ...span.attributes, ...COMPLEX_ATTRIBUTES } } })) as never,
      );
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}
