// Which OpenTelemetry line the app runs, read from the API it loaded: API 1.10 (the 3.x SDK line) added the
// public `context.attach()`; API 1.9 and older (the 2.x line) have none. Read by shape rather than by version
// number, since the API does not export its version and its package.json is not in its exports map.
import { apiAttach } from '../otel-internals/index.js';

/** '2.x': API <= 1.9 with SDK 2.x; '3.x': API 1.10 with SDK 3.x (the lines the README names). */
export type OtelLine = '2.x' | '3.x';

export function apiLine(): OtelLine {
  return apiAttach() !== undefined ? '3.x' : '2.x';
}
