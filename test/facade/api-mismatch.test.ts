// The application registered its OpenTelemetry globals with another @opentelemetry/api than tomograph's (here
// the app's is 1.4, older than tomograph's, as when tomograph gets a nested copy): the API refuses to hand a
// copy of another minor version those globals, so facade calls record nothing, and OTel's own diag — the app's
// logger is registered with the app's API — says nothing either. tomograph tells the process once, through
// process.emitWarning, naming the version.
import { context as appContext, trace as appTrace } from 'api-1-4';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { start, stop } from 'tomograph';
import { newMemoryExporter, newProvider, simpleProcessor } from '../support/sdk-line.js';

const memory = newMemoryExporter();
const provider = newProvider({ spanProcessors: [simpleProcessor(memory)] });
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeAll(() => {
  process.on('warning', onWarning);
  appTrace.setGlobalTracerProvider(provider as never);
  appContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable() as never);
});
afterAll(async () => {
  process.off('warning', onWarning);
  await provider.shutdown();
});

it("warns once, with the app's API version, that facade spans record nothing, and throws nothing", async () => {
  // The app's own spans record: the globals work for the app's API.
  appTrace.getTracer('app').startSpan('app span').end();
  for (let i = 0; i < 5; i++) {
    expect(() => {
      start('svc', 'facade');
      stop('facade');
    }).not.toThrow();
  }
  await new Promise((resolve) => setImmediate(resolve));
  expect(memory.getFinishedSpans().map((s) => s.name)).toEqual(['app span']);
  const ours = warnings.filter((w) => (w as Error & { code?: string }).code === 'TOMOGRAPH_API_MISMATCH');
  expect(ours).toHaveLength(1);
  expect(ours[0]!.message).toContain('registered with @opentelemetry/api 1.4.1: facade spans record nothing');
});
