// traced(): the legacy decorator, as a TypeScript decorator (standard and `experimentalDecorators`) and as a
// plain wrapper. Each call runs in its own fresh context, so concurrent calls never see each other's spans; the
// span ends when the function returns or its promise settles; a throw or rejection marks it ERROR and reaches
// the caller unchanged (the same error; the same promise when it is a native one).
import { SpanStatusCode, type Exception, type SpanKind } from '@opentelemetry/api';
import { runInContext } from '../context/boundary.js';
import { activeContext } from '../context/activation.js';
import { TomographError } from '../errors.js';
import { endpointPort } from './endpoint-port.js';
import { contain, quoted } from './misuse.js';
import { closeFrame, openSpan, type Frame, type OpenedSpan } from './span-stack.js';

/** Options of {@link traced}. */
export interface TracedOptions {
  /** Endpoint address; default (and `'0.0.0.0'`, the original's default host): this machine's host name. */
  address?: string;
  /** Endpoint port: a whole number from 0 to 65535, or one as text (`'80'`). @default 0 */
  port?: number | string;
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

interface TracedSpec {
  serviceName: string | null | undefined;
  name: string;
  address: string | undefined;
  port: number | undefined;
  kind: SpanKind | undefined;
}

/** The original's `tracewrap` replaced the host `0.0.0.0` by the machine's host name. */
const ANY_HOST = '0.0.0.0';

/** The class name of `candidate`, or undefined; never throws (a Proxy's `get` may). */
function classNameOf(candidate: unknown): string | undefined {
  try {
    if (candidate !== null && typeof candidate === 'object') {
      const name = (candidate as { constructor?: { name?: unknown } }).constructor?.name;
      if (typeof name === 'string' && name.length > 0) return name;
    }
    if (typeof candidate === 'function' && typeof candidate.name === 'string' && candidate.name.length > 0) return candidate.name;
  } catch {
    // A hostile object: fall through to the next candidate.
  }
  return undefined;
}

/** The legacy default service name: the class of the object the method runs on. */
function className(self: unknown, firstArgument: unknown): string {
  return classNameOf(self) ?? classNameOf(firstArgument) ?? 'unknown';
}

function asException(error: unknown): Exception {
  if (error instanceof Error || typeof error === 'string') return error;
  return String(error);
}

function markFailed(frame: Frame, error: unknown): void {
  try {
    frame.span.recordException(asException(error));
    frame.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  } catch {
    // What the function threw cannot be read (a revoked Proxy): the span ends without it.
  }
  closeFrame(frame);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

function callAndEnd(fn: AnyFunction, self: unknown, args: unknown[], frame: Frame): unknown {
  let result: unknown;
  try {
    result = fn.apply(self, args);
  } catch (error) {
    markFailed(frame, error);
    throw error;
  }
  if (!isThenable(result)) {
    closeFrame(frame);
    return result;
  }
  // A native promise goes back to the caller as it is. Another thenable may be lazy — a knex query builder runs
  // its query on every then() — so it is settled once, here, and the caller gets that one native promise.
  const settled = result instanceof Promise ? result : settleOnce(result);
  try {
    // Handlers on the side: a rejection the caller does not handle stays its own, as it would be without
    // tracing. These handlers never throw.
    settled.then(() => closeFrame(frame), (error: unknown) => markFailed(frame, error));
  } catch (error) {
    markFailed(frame, error);
  }
  return settled;
}

function settleOnce(thenable: PromiseLike<unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    thenable.then(resolve, reject);
  });
}

function wrap<F extends AnyFunction>(fn: F, spec: TracedSpec): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    let opened: OpenedSpan;
    try {
      const serviceName = spec.serviceName ?? className(this, args[0]);
      opened = openSpan(
        { serviceName, name: spec.name, address: spec.address, port: spec.port, kind: spec.kind },
        activeContext(),
        'traced()',
      );
    } catch (error) {
      // Tracing failed (never the function): it runs untraced, as it would without the decorator.
      contain('traced', error);
      return fn.apply(this, args);
    }
    return runInContext(opened.context, () => callAndEnd(fn, this, args, opened.frame));
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
  const port = options.port === undefined ? undefined : endpointPort(options.port);
  if (options.port !== undefined && port === undefined) {
    throw new TomographError('INVALID_ARGUMENT', `traced('${name}'): port must be a whole number from 0 to 65535 (or one as text), got ${quoted(options.port)}`);
  }
  const spec: TracedSpec = { serviceName, name, address: options.address === ANY_HOST ? undefined : options.address, port, kind: options.kind };
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
