// traced(): the legacy decorator, as a TypeScript decorator (standard and `experimentalDecorators`) and as a
// plain wrapper. Each call runs in its own fresh context, so concurrent calls never see each other's spans; the
// span ends when the function returns or its promise settles; a throw or rejection marks it ERROR and reaches
// the caller unchanged (the same error, the same promise).
import { SpanStatusCode, type Exception, type Span, type SpanKind } from '@opentelemetry/api';
import { runInContext } from '../context/boundary.js';
import { activeContext } from '../context/activation.js';
import { TomographError } from '../errors.js';
import { openSpan } from './span-stack.js';

/** Options of {@link traced}. */
export interface TracedOptions {
  /** Endpoint address; default: this machine's host name (the legacy default host `0.0.0.0` meant the same). */
  address?: string;
  /** Endpoint port. @default 0 */
  port?: number;
  /** The OTel span kind. @default SpanKind.INTERNAL */
  kind?: SpanKind;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a decorator must accept any function shape
type AnyFunction = (this: any, ...args: any[]) => any;

/** What `traced(...)` returns: a method decorator (either decorator mode) or a function wrapper. */
export interface TracedDecorator {
  /** Wraps a function. */
  <F extends AnyFunction>(fn: F): F;
  /** Standard (TC39) method decorator. */
  <F extends AnyFunction>(method: F, context: ClassMethodDecoratorContext): F;
  /** Legacy (`experimentalDecorators`) method decorator. */
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}

interface TracedSpec extends TracedOptions {
  serviceName: string | null | undefined;
  name: string;
}

/** The legacy default service name: the class of the object the method runs on. */
function className(self: unknown, firstArgument: unknown): string {
  for (const candidate of [self, firstArgument]) {
    if (candidate !== null && typeof candidate === 'object') {
      const name = (candidate as { constructor?: { name?: unknown } }).constructor?.name;
      if (typeof name === 'string' && name.length > 0) return name;
    }
    if (typeof candidate === 'function' && candidate.name.length > 0) return candidate.name;
  }
  return 'unknown';
}

function asException(error: unknown): Exception {
  if (error instanceof Error || typeof error === 'string') return error;
  return String(error);
}

function markFailed(span: Span, error: unknown): void {
  span.recordException(asException(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

function callAndEnd(fn: AnyFunction, self: unknown, args: unknown[], span: Span): unknown {
  let result: unknown;
  try {
    result = fn.apply(self, args);
  } catch (error) {
    markFailed(span, error);
    throw error;
  }
  if (!isThenable(result)) {
    span.end();
    return result;
  }
  try {
    // Handlers on the side: the caller keeps the very promise `fn` returned, and a rejection it does not
    // handle stays its own, as it would be without tracing. These handlers never throw.
    result.then(() => span.end(), (error: unknown) => markFailed(span, error));
  } catch (error) {
    markFailed(span, error);
  }
  return result;
}

function wrap<F extends AnyFunction>(fn: F, spec: TracedSpec): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const serviceName = spec.serviceName ?? className(this, args[0]);
    const { span, context } = openSpan(
      { serviceName, name: spec.name, address: spec.address, port: spec.port, kind: spec.kind },
      activeContext(),
    );
    return runInContext(context, () => callAndEnd(fn, this, args, span));
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
  return wrapped as F;
}

/**
 * A span around each call of a function or method: `@traced('svc', 'name')` on a method, or
 * `traced('svc', 'name')(fn)`. `serviceName` null means the class name of the object the method runs on, as in
 * the original.
 *
 * @example
 * class Api { @traced(null, 'list servers') async list() { … } }   // service 'Api'
 * const handler = traced('billing', 'charge')(charge);
 */
export function traced(serviceName: string | null, name: string, options: TracedOptions = {}): TracedDecorator {
  if (serviceName !== null && serviceName !== undefined && typeof serviceName !== 'string') {
    throw new TomographError('INVALID_ARGUMENT', `traced(): serviceName must be a string or null, got ${typeof serviceName}`);
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new TomographError('INVALID_ARGUMENT', `traced(): name must be a non-empty string, got ${typeof name === 'string' ? "''" : typeof name}`);
  }
  const spec: TracedSpec = { ...options, serviceName, name };
  function decorator(...args: unknown[]): unknown {
    const [first, second, third] = args;
    if (args.length === 3 && third !== null && typeof third === 'object' && typeof (third as PropertyDescriptor).value === 'function') {
      const descriptor = third as PropertyDescriptor;
      return { ...descriptor, value: wrap(descriptor.value as AnyFunction, spec) };
    }
    if (typeof first === 'function') {
      if (second !== undefined && (second === null || typeof second !== 'object' || (second as { kind?: unknown }).kind !== 'method')) {
        throw new TomographError('INVALID_ARGUMENT', `traced('${name}'): decorates methods and wraps functions only`);
      }
      return wrap(first as AnyFunction, spec);
    }
    throw new TomographError('INVALID_ARGUMENT', `traced('${name}'): expected a function or a method to decorate, got ${typeof first}`);
  }
  return decorator as TracedDecorator;
}
