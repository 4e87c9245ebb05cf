// traced(): the legacy decorator, as a TypeScript decorator (standard and `experimentalDecorators`) and as a
// plain wrapper. Each call runs in its own fresh context, so concurrent calls never see each other's spans; the
// span ends when the function returns or its promise settles; a throw or rejection marks it ERROR and reaches
// the caller unchanged (the same error; the same promise when it is a native one). With a `token` each call
// continues the remote trace the token names (a job's producer), or starts a trace of its own: a job processor
// never nests under whatever a worker's loop happens to have active.
import { SpanStatusCode, trace, type Context, type Exception, type SpanKind } from '@opentelemetry/api';
import { runInContext } from '../context/boundary.js';
import { activeContext } from '../context/activation.js';
import { TomographError } from '../errors.js';
import { endpointPort } from './endpoint-port.js';
import { contain, quoted, reportMisuse } from './misuse.js';
import { closeFrame, openSpan, type Frame, type OpenedSpan } from './span-stack.js';
import { parseToken } from './token.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a decorator must accept any function shape
type AnyFunction = (this: any, ...args: any[]) => any;

/**
 * Where a traced call's trace comes from: a token (`getTraceInfo()` of the producer, a W3C `traceparent`), or a
 * function of the call's arguments that returns one, or nothing, for each call (`(job) => job.data.trace`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the arguments are the decorated function's
export type TracedToken = string | ((...args: any[]) => string | null | undefined);

/** Options of {@link traced}. */
export interface TracedOptions {
  /** Endpoint address; default (and `'0.0.0.0'`, the original's default host): this machine's host name. */
  address?: string;
  /** Endpoint port: a whole number from 0 to 65535, or one as text (`'80'`). @default 0 */
  port?: number | string;
  /** The OTel span kind. @default SpanKind.INTERNAL */
  kind?: SpanKind;
  /**
   * Continue a remote trace: each call's span is a child of the span the token names, whatever span is active
   * where the call runs; a call whose token is missing (the function returned undefined or null) or invalid
   * (reported through `diag`, thrown in strict mode) starts a new trace. Without this option a call's span is a
   * child of the active span, as usual.
   */
  token?: TracedToken;
}

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
  token: TracedToken | undefined;
}

/** The token of one call: the option itself, or what its function returns for the call's arguments. */
function callToken(spec: TracedSpec, self: unknown, args: unknown[]): unknown {
  const { token } = spec;
  return typeof token === 'function' ? token.apply(self, args) : token;
}

/**
 * The parent of one call: the active context, or — with the `token` option — the active context with the remote
 * span the token names (or no span: a trace of the call's own) in place of its active span. Baggage and other
 * values stay.
 */
function callParent(spec: TracedSpec, self: unknown, args: unknown[]): Context {
  const active = activeContext();
  if (spec.token === undefined) return active;
  let token: unknown;
  try {
    token = callToken(spec, self, args);
  } catch (error) {
    // The app's token function threw: the call runs in a trace of its own, and the app is told.
    contain(`traced('${spec.name}') token`, error);
    return trace.deleteSpan(active);
  }
  if (token === undefined || token === null) return trace.deleteSpan(active);
  const remote = parseToken(token);
  if (remote !== undefined) return trace.setSpanContext(active, remote);
  reportMisuse(
    'INVALID_TOKEN',
    `traced(${quoted(spec.name)}): ignored a token that is not a W3C traceparent; the call starts a new trace`,
  );
  return trace.deleteSpan(active);
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
    if (typeof candidate === 'function' && typeof candidate.name === 'string' && candidate.name.length > 0)
      return candidate.name;
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
    frame.span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  } catch {
    // What the function threw cannot be read (a revoked Proxy): the span ends without it.
  }
  closeFrame(frame);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
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
    settled.then(
      () => closeFrame(frame),
      (error: unknown) => markFailed(frame, error),
    );
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
        callParent(spec, this, args),
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
 * new Worker('orders', traced('billing', 'process order', { token: (job) => job.data.trace })(processOrder));
 */
export function traced(serviceName: string | null, name: string, options: TracedOptions = {}): TracedDecorator {
  if (serviceName !== null && serviceName !== undefined && typeof serviceName !== 'string') {
    throw new TomographError(
      'INVALID_ARGUMENT',
      `traced(): serviceName must be a string or null, got ${typeof serviceName}`,
    );
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new TomographError(
      'INVALID_ARGUMENT',
      `traced(): name must be a non-empty string, got ${typeof name === 'string' ? "''" : typeof name}`,
    );
  }
  const { token } = options;
  if (token !== undefined && typeof token !== 'function' && parseToken(token) === undefined) {
    throw new TomographError(
      'INVALID_TOKEN',
      `traced('${name}'): token must be a W3C traceparent (from getTraceInfo()) or a function of the call's arguments that returns one, got ${quoted(token)}`,
    );
  }
  const port = options.port === undefined ? undefined : endpointPort(options.port);
  if (options.port !== undefined && port === undefined) {
    throw new TomographError(
      'INVALID_ARGUMENT',
      `traced('${name}'): port must be a whole number from 0 to 65535 (or one as text), got ${quoted(options.port)}`,
    );
  }
  const spec: TracedSpec = {
    serviceName,
    name,
    address: options.address === ANY_HOST ? undefined : options.address,
    port,
    kind: options.kind,
    token,
  };
  function decorator(...args: unknown[]): unknown {
    const [first, second, third] = args;
    if (
      args.length === 3 &&
      third !== null &&
      typeof third === 'object' &&
      typeof (third as PropertyDescriptor).value === 'function'
    ) {
      const descriptor = third as PropertyDescriptor;
      return { ...descriptor, value: wrap(descriptor.value as AnyFunction, spec) };
    }
    if (typeof first === 'function') {
      if (
        second !== undefined &&
        (second === null || typeof second !== 'object' || (second as { kind?: unknown }).kind !== 'method')
      ) {
        throw new TomographError('INVALID_ARGUMENT', `traced('${name}'): decorates methods and wraps functions only`);
      }
      return wrap(first as AnyFunction, spec);
    }
    throw new TomographError(
      'INVALID_ARGUMENT',
      `traced('${name}'): expected a function or a method to decorate, got ${typeof first}`,
    );
  }
  return decorator as TracedDecorator;
}
