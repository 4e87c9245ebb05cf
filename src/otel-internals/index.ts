// Every read of an OpenTelemetry internal, in one place: private fields and methods, private context keys, the API's
// globals symbol, and the shapes that differ between SDK lines (fields a line renamed, constructors that changed
// their arguments). Nothing else in tomograph reads past OpenTelemetry's public, typed surface; when a new API or
// SDK release comes out, this file is the one to check, and test/otel-internals/ has one test per read below that
// runs it against the packages installed (CI runs it on both lines), naming the read when it fails.
//
// Each read says the versions it was checked against and what tomograph does when the internal is absent. "Checked"
// means: read in the package's source and exercised by test/otel-internals on
//   - the 2.x line: @opentelemetry/api 1.9.1, core/sdk-trace-base/sdk-trace/context-async-hooks/resources 2.12.1,
//     instrumentation-http 0.223.0;
//   - the 3.x line: @opentelemetry/api 1.10.0, core/sdk-trace/context-async-hooks/resources 3.1.1,
//     instrumentation-http 0.301.0;
//   - SDK 1.30 (sdk-trace-base, context-async-hooks, resources), which the tests keep as alias packages.
// Reads on hot paths (the span key, `ended`) are plain constants and small monomorphic functions: no allocation, no
// closure per call.
import { context, createContextKey, type Context, type Span } from '@opentelemetry/api';
import type {
  BatchConfig,
  ProviderOptions,
  SdkSpanExporter,
  SdkSpanProcessor,
  SdkTracerProvider,
} from '../sdk-line/types.js';

// ---------------------------------------------------------------------------------------------------------------
// @opentelemetry/api

/**
 * The key under which @opentelemetry/api 1.x keeps its registered globals on `globalThis` (its `_global` key,
 * `Symbol.for('opentelemetry.js.api.<major>')`): `{ version, context, trace, propagation, diag, ... }`. Checked: API
 * 1.0 to 1.10. Absent (no global registered, or an API 2.x): reads give undefined, and tomograph takes it that
 * nothing is registered (configure() registers its own; the facade falls back to its private storage and says so).
 */
export const OTEL_API_GLOBALS: symbol = Symbol.for('opentelemetry.js.api.1');

/** What the API keeps under {@link OTEL_API_GLOBALS}, as far as tomograph reads it. */
export interface OtelApiGlobals {
  /** The version of the API copy that registered first. */
  readonly version?: string;
  /** The registered context manager itself. */
  readonly context?: unknown;
  /** The API's ProxyTracerProvider around the registered provider: what `trace.getTracerProvider()` returns. */
  readonly trace?: unknown;
  readonly propagation?: unknown;
}

/** The API's registered globals, or undefined when nothing was ever registered (see {@link OTEL_API_GLOBALS}). */
export function otelApiGlobals(): OtelApiGlobals | undefined {
  const globals = (globalThis as Record<symbol, unknown>)[OTEL_API_GLOBALS];
  return globals !== null && typeof globals === 'object' ? (globals as OtelApiGlobals) : undefined;
}

/**
 * The context manager this copy of the API uses: `ContextAPI#_getContextManager()`, a private method. Checked: API
 * 1.0 to 1.10. Absent: undefined, read as "no manager tomograph can activate through" (the facade keeps its own
 * storage and says so once).
 */
export function apiContextManager(): unknown {
  const api = context as unknown as { _getContextManager?: () => unknown };
  return typeof api._getContextManager === 'function' ? api._getContextManager() : undefined;
}

/**
 * The API's public, experimental `context.attach(ctx)` (API 1.10; not in 1.9), bound, which returns what the
 * manager's `attach()` returns. Also what tells the 3.x line from the 2.x line (sdk-line/api-line.ts). Checked: API
 * 1.9.1 (absent), 1.10.0 (present). Absent: undefined, and the manager's own `attach()` is used.
 */
export function apiAttach(): ((ctx: Context) => unknown) | undefined {
  const attach = (context as unknown as { attach?: (ctx: Context) => unknown }).attach;
  return typeof attach === 'function' ? attach.bind(context) : undefined;
}

/**
 * The context key of `trace.setSpan`/`trace.getSpan` (API's private `SPAN_KEY`; `createContextKey` is
 * `Symbol.for`, so every copy of the API agrees on it). Checked: API 1.0 to 1.10. Absent (renamed): facade contexts
 * would no longer answer `trace.getSpan` with their span; the test of this key fails first.
 */
export const OTEL_SPAN_KEY: symbol = createContextKey('OpenTelemetry Context Key SPAN');

// ---------------------------------------------------------------------------------------------------------------
// @opentelemetry/core's context keys (read here so that the facade and the statsd entry load no SDK package)

/**
 * @opentelemetry/core's `RPC_METADATA_KEY`, where instrumentation-http puts `{ type: 'http', span }` for its server
 * span (`setRPCMetadata`). Checked: core 1.30, 2.12.1, 3.1.1 with instrumentation-http 0.223/0.301. Absent: no
 * server span is found, and notes under a framework's layer span stay on that layer span.
 */
export const OTEL_RPC_METADATA_KEY: symbol = createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');

/** instrumentation-http's server span for the request `ctx` runs in (see {@link OTEL_RPC_METADATA_KEY}), if any. */
export function httpServerSpanIn(ctx: Context): Span | undefined {
  const metadata = ctx.getValue(OTEL_RPC_METADATA_KEY) as { type?: unknown; span?: Span } | undefined;
  return metadata?.type === 'http' ? metadata.span : undefined;
}

/**
 * @opentelemetry/core's `SUPPRESS_TRACING_KEY` (what `suppressTracing()` sets and `isTracingSuppressed()` reads).
 * Checked: core 1.30, 2.12.1, 3.1.1. Absent: the socket calls of a statsd export would be traced by an
 * instrumentation that watches them (dns, net, dgram), nothing worse.
 */
export const OTEL_SUPPRESS_TRACING_KEY: symbol = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** `ctx` with tracing suppressed, as core's `suppressTracing(ctx)` makes it. */
export function suppressTracing(ctx: Context): Context {
  return ctx.setValue(OTEL_SUPPRESS_TRACING_KEY, true);
}

// ---------------------------------------------------------------------------------------------------------------
// @opentelemetry/context-async-hooks

/** What `enterWith` needs of an AsyncLocalStorage. */
export interface EnterableStorage {
  enterWith(store: Context): void;
}

/**
 * `AsyncLocalStorageContextManager#attach(ctx)`: on the class, not on the API's `ContextManager` interface (2.11+,
 * 3.x; on Node >= 25.9 with 3.x it returns the RunScope of `AsyncLocalStorage.withScope()`). Checked:
 * context-async-hooks 1.30 (absent), 2.12.1, 3.1.1. Absent: {@link managerStorage} is tried next.
 */
export function managerAttach(manager: unknown): ((ctx: Context) => unknown) | undefined {
  const attach = (manager as { attach?: unknown } | null | undefined)?.attach;
  return typeof attach === 'function' ? (attach as (ctx: Context) => unknown).bind(manager) : undefined;
}

/**
 * `AsyncLocalStorageContextManager#_asyncLocalStorage`, a private field: the storage its `with()` runs in, which
 * the facade `enterWith`s on managers that have no `attach()` (SDK 1.x). Checked: context-async-hooks 1.30, 2.12.1,
 * 3.1.1. Absent: undefined; the facade keeps its own storage (native code then cannot see facade spans; said once).
 */
export function managerStorage(manager: unknown): EnterableStorage | undefined {
  const storage = (manager as { _asyncLocalStorage?: unknown } | null | undefined)?._asyncLocalStorage;
  return storage !== null &&
    typeof storage === 'object' &&
    typeof (storage as { enterWith?: unknown }).enterWith === 'function'
    ? (storage as EnterableStorage)
    : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// SDK spans (sdk-trace-base 1.x/2.x, sdk-trace 3.x): fields the API's `Span` interface does not declare

/**
 * `Span#ended` of an SDK span (a getter on 1.x, 2.x and 3.x; the API's `Span` interface has no such field).
 * Checked: sdk-trace-base 1.30, 2.12.1; sdk-trace 3.1.1. Absent (another SDK, a non-recording span): false, the
 * span is taken as open, and writing to it is the SDK's to ignore.
 */
export function isSpanEnded(span: object): boolean {
  return (span as { ended?: unknown }).ended === true;
}

/** The library that recorded a span: an instrumentation scope. */
export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
}

/**
 * The instrumentation scope of a live or finished SDK span: `instrumentationScope` (2.x, 3.x), `instrumentationLibrary`
 * (1.x, renamed in 2.0). Checked: sdk-trace-base 1.30, 2.12.1; sdk-trace 3.1.1. Absent: undefined (exporters then
 * record an empty scope name; a layer or knex span is not recognised as one).
 */
export function spanScopeOf(span: object): InstrumentationScope | undefined {
  const shape = span as { instrumentationScope?: InstrumentationScope; instrumentationLibrary?: InstrumentationScope };
  return shape.instrumentationScope ?? shape.instrumentationLibrary;
}

/** The name of {@link spanScopeOf}, when it is a string. */
export function spanScopeName(span: object): string | undefined {
  const name: unknown = spanScopeOf(span)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * The parent span id of a live or finished SDK span: `parentSpanContext.spanId` (2.x, 3.x), `parentSpanId` (1.x,
 * replaced in 2.0). Checked: sdk-trace-base 1.30, 2.12.1; sdk-trace 3.1.1. Absent or empty: undefined, read as a
 * root span.
 */
export function spanParentId(span: object): string | undefined {
  const shape = span as { parentSpanContext?: { spanId?: unknown }; parentSpanId?: unknown };
  const id = shape.parentSpanContext?.spanId ?? shape.parentSpanId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Whether the span's parent lives in another process: `parentSpanContext.isRemote` (2.x, 3.x; 1.x does not say).
 * Checked: sdk-trace-base 1.30 (absent), 2.12.1; sdk-trace 3.1.1. Absent: false.
 */
export function hasRemoteParent(span: object): boolean {
  return (span as { parentSpanContext?: { isRemote?: unknown } }).parentSpanContext?.isRemote === true;
}

// ---------------------------------------------------------------------------------------------------------------
// SDK resources (@opentelemetry/resources): async attributes

/** What a resource with attributes still to settle has. */
export interface SettlingResource {
  readonly asyncAttributesPending?: boolean;
  waitForAsyncAttributes?(): Promise<void>;
}

/**
 * Whether `resource` still waits for async attributes (promise values from detectors): `asyncAttributesPending`
 * (public but optional on the `Resource` interface; a getter). Checked: resources 1.30, 2.12.1, 3.1.1. Absent:
 * false, the resource is read as settled (and derived views of it are cached).
 */
export function hasPendingAttributes(resource: unknown): boolean {
  return (
    resource !== null && typeof resource === 'object' && (resource as SettlingResource).asyncAttributesPending === true
  );
}

/**
 * {@link hasPendingAttributes}, with `waitForAsyncAttributes()` to wait on (optional on the `Resource` interface).
 * Checked: resources 1.30, 2.12.1, 3.1.1. Absent: false, the resource is read as it is.
 */
export function isResourceSettling(resource: unknown): resource is SettlingResource & object {
  return hasPendingAttributes(resource) && typeof (resource as SettlingResource).waitForAsyncAttributes === 'function';
}

/** Resolves once `resource` settled (see {@link isResourceSettling}); never rejects. */
export function resourceSettled(resource: SettlingResource): Promise<void> {
  try {
    return Promise.resolve(resource.waitForAsyncAttributes?.()).then(
      () => undefined,
      () => undefined,
    );
  } catch {
    return Promise.resolve();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The trace SDK's constructors, which changed their arguments between sdk-trace-base 2.x and sdk-trace 3.x

/** Makes what configure() needs of one trace SDK package. */
export interface TraceSdkConstructors {
  createProvider(options: ProviderOptions): SdkTracerProvider;
  batchProcessor(exporter: SdkSpanExporter, config: BatchConfig): SdkSpanProcessor;
  simpleProcessor(exporter: SdkSpanExporter): SdkSpanProcessor;
}

type Ctor = new (...args: never[]) => unknown;

/**
 * sdk-trace-base: `new BasicTracerProvider(options)`, `new BatchSpanProcessor(exporter, config)`,
 * `new SimpleSpanProcessor(exporter)`. Checked: sdk-trace-base 2.12.1 (the package has no 3.x). Absent class: the
 * call throws a TypeError naming it.
 */
export function sdkTraceBaseConstructors(module: Record<string, unknown>): TraceSdkConstructors {
  const Provider = classIn(module, 'BasicTracerProvider') as new (options: ProviderOptions) => SdkTracerProvider;
  const Batch = classIn(module, 'BatchSpanProcessor') as new (
    exporter: SdkSpanExporter,
    config: BatchConfig,
  ) => SdkSpanProcessor;
  const Simple = classIn(module, 'SimpleSpanProcessor') as new (exporter: SdkSpanExporter) => SdkSpanProcessor;
  return {
    createProvider: (options) => new Provider(options),
    batchProcessor: (exporter, config) => new Batch(exporter, config),
    simpleProcessor: (exporter) => new Simple(exporter),
  };
}

/**
 * sdk-trace: `new TracerProvider(options)`, `new BatchSpanProcessor({ exporter, ...config })`,
 * `new SimpleSpanProcessor({ exporter })`. Checked: sdk-trace 2.12.1 (published on the 2.x line from 2.9), 3.1.1.
 * Absent class: the call throws a TypeError naming it.
 */
export function sdkTraceConstructors(module: Record<string, unknown>): TraceSdkConstructors {
  const Provider = classIn(module, 'TracerProvider') as new (options: ProviderOptions) => SdkTracerProvider;
  const Batch = classIn(module, 'BatchSpanProcessor') as new (
    options: BatchConfig & { exporter: SdkSpanExporter },
  ) => SdkSpanProcessor;
  const Simple = classIn(module, 'SimpleSpanProcessor') as new (options: {
    exporter: SdkSpanExporter;
  }) => SdkSpanProcessor;
  return {
    createProvider: (options) => new Provider(options),
    batchProcessor: (exporter, config) => new Batch({ exporter, ...config }),
    simpleProcessor: (exporter) => new Simple({ exporter }),
  };
}

function classIn(module: Record<string, unknown>, name: string): Ctor {
  const value = module[name];
  if (typeof value !== 'function') {
    throw new TypeError(`tomograph: the trace SDK package has no ${name} (otel-internals: checked against 2.x/3.x)`);
  }
  return value as Ctor;
}
