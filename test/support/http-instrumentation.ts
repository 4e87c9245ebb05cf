// @opentelemetry/instrumentation-http, registered as an app's OTel setup does it, for tests of interop with it.
import { createRequire } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

/** Registers instrumentation-http and patches `node:http`; returns what unregisters it. */
export function registerHttpInstrumentation(): () => void {
  const unregister = registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
  // Core modules are patched when required after registration; the patch changes the shared exports object.
  createRequire(import.meta.url)('node:http');
  return unregister;
}
