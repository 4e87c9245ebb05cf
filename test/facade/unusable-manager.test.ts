// Under a context manager tomograph cannot activate through (no attach(), no AsyncLocalStorage behind it, as
// zone-style or hand-written managers are), facade spans still parent to the active native span and nest among
// themselves, and the process is told once, through process.emitWarning, even with no diag logger set.
import { context, diag, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { annotate, start, stop } from 'tomograph';
import { newMemoryExporter, newProvider, simpleProcessor } from '../support/sdk-line.js';
import { parentIdOf } from '../support/otel.js';

/** A callback-scoped manager with a plain stack: what tomograph cannot activate a context through. */
class StackContextManager implements ContextManager {
  private readonly stack: Context[] = [];
  active(): Context {
    return this.stack[this.stack.length - 1] ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.stack.pop();
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.stack.length = 0;
    return this;
  }
}

const memory = newMemoryExporter();
const provider = newProvider({ spanProcessors: [simpleProcessor(memory)] });
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
beforeAll(() => {
  diag.disable();
  process.on('warning', onWarning);
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new StackContextManager());
});
afterAll(async () => {
  process.off('warning', onWarning);
  await provider.shutdown();
  trace.disable();
  context.disable();
});

const span = (name: string) => memory.getFinishedSpans().find((s) => s.name === name)!;

it('parents facade spans to the native span active around them, and nests them among themselves', async () => {
  const tracer = trace.getTracer('native');
  await tracer.startActiveSpan('native request', async (native) => {
    start('svc', 'facade outer');
    await new Promise((resolve) => setTimeout(resolve, 1));
    start('svc', 'facade inner');
    annotate('on inner');
    stop('facade inner');
    stop('facade outer');
    native.end();
  });
  start('svc', 'outside');
  stop('outside');
  expect(parentIdOf(span('facade outer'))).toBe(span('native request').spanContext().spanId);
  expect(parentIdOf(span('facade inner'))).toBe(span('facade outer').spanContext().spanId);
  expect(span('facade inner').events.map((e) => e.name)).toEqual(['on inner']);
  expect(parentIdOf(span('outside'))).toBeUndefined();
});

it('says so once through process.emitWarning, with a code, with no diag logger set', async () => {
  for (let i = 0; i < 5; i++) {
    start('svc', 'again');
    stop('again');
  }
  await new Promise((resolve) => setImmediate(resolve));
  const ours = warnings.filter((w) => (w as Error & { code?: string }).code === 'TOMOGRAPH_NO_CONTEXT_MANAGER');
  expect(ours).toHaveLength(1);
  expect(ours[0]!.message).toContain(
    'cannot make a span active without a callback (it is not an AsyncLocalStorageContextManager)',
  );
});
