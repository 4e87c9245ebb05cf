// start/stop: the legacy per-thread span stack, kept as frames inside the OpenTelemetry Context.
//
// Each `start` makes a frame context (context/frame-context.ts) holding the new span, so OTel-native code sees it
// as the active span, and a frame pointing to the frame below; `stop` marks frames stopped, ends their spans and
// re-activates the resolved context. A stopped frame reads as the context active before its start everywhere,
// including contexts captured while it was open (the caller of an async function, a timer's next tick). Because
// the stack lives in the Context, each async flow that forked from a boundary has its own stack.
import { hostname } from 'node:os';
import { SpanKind, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { ATTR_ENDPOINT_ADDRESS, ATTR_ENDPOINT_PORT, ATTR_NOT_STOPPED, ATTR_SERVICE_NAME } from '../attributes.js';
import { activation } from '../context/activation.js';
import { frameContext, resolveContext, topFrame, type Frame } from '../context/frame-context.js';
import { endpointPort } from './endpoint-port.js';
import { asText, contain, quoted, quoteNames, reportMisuse } from './misuse.js';
import { parseToken } from './token.js';
import { facadeTracer } from './tracer.js';

export type { Frame };

/** What a facade span is: the legacy (service, name, endpoint) plus what integrations add. */
export interface SpanSpec {
  serviceName: string;
  name: string;
  /** Endpoint address; default: this machine's host name. `''` is an address like any other, as in the original. */
  address?: string;
  /** Endpoint port; default 0. */
  port?: number;
  kind?: SpanKind;
  attributes?: Attributes;
}

const HOST_NAME = hostname();

// How many spans `start()` opened and `stop()` has not ended, by name: when `stop(name)` finds no such span in
// its flow, this tells "open elsewhere" (started in a scope that has ended, or in another flow) from "not open".
// Entries go at zero. Spans never stopped keep theirs, so the names are bounded: past the bound a new name is not
// counted, and a stop() of it is reported as not open, the report before this count existed.
const MAX_COUNTED_NAMES = 10_000;
const openByName = new Map<string, number>();

function countOpen(name: string, delta: 1 | -1): void {
  const count = (openByName.get(name) ?? 0) + delta;
  if (count <= 0) openByName.delete(name);
  else if (openByName.has(name) || openByName.size < MAX_COUNTED_NAMES) openByName.set(name, count);
}

/** The attributes every facade span records: its service and its endpoint. */
function spanAttributes(spec: SpanSpec): Attributes {
  const own: Attributes = {
    [ATTR_SERVICE_NAME]: spec.serviceName,
    [ATTR_ENDPOINT_ADDRESS]: spec.address ?? HOST_NAME,
    [ATTR_ENDPOINT_PORT]: spec.port ?? 0,
  };
  return spec.attributes === undefined ? own : { ...spec.attributes, ...own };
}

/** A span opened with its frame, and the context that holds both. */
export interface OpenedSpan {
  readonly span: Span;
  readonly frame: Frame;
  readonly context: Context;
}

/** `parent` and `restore` must be resolved (no stopped frame in them): see resolveContext. */
function pushFrame(spec: SpanSpec, parent: Context, restore: Context, owner: string | undefined, pinnedOver?: ReadonlySet<string>): OpenedSpan {
  const span = facadeTracer().startSpan(
    spec.name,
    { kind: spec.kind ?? SpanKind.INTERNAL, attributes: spanAttributes(spec) },
    parent,
  );
  const frame: Frame = { name: spec.name, span, restore, below: topFrame(parent), owner, pinnedOver, stopped: false };
  return { span, frame, context: frameContext(parent, frame) };
}

/** Ends a frame's span and makes every context that holds the frame read as the context before it. */
export function closeFrame(frame: Frame): void {
  if (frame.stopped) return;
  frame.stopped = true;
  if (frame.owner === undefined) countOpen(frame.name, -1);
  frame.span.end();
}

/**
 * Creates a span owned by integration `owner` (e.g. 'middleware') as a child of the span in `parent` (or a new
 * trace) and returns a context holding it, without activating it: the integration runs its work in
 * `context.with(result.context, …)` and ends it with `closeFrame(result.frame)`, so `annotate`, `tag` and nested
 * `start` calls inside land on it, while a user's `stop()` cannot end it. A request's span stays active over the
 * enclosing spans `pinnedOver` names, which instrumentation re-activates around it (see Frame.pinnedOver).
 */
export function openSpan(spec: SpanSpec, parent: Context, owner: string, options: { pinnedOver?: ReadonlySet<string> } = {}): OpenedSpan {
  return pushFrame(spec, resolveContext(parent), resolveContext(activation().active()), owner, options.pinnedOver);
}

/**
 * Like `start`, for integrations that choose the parent themselves (e.g. from request headers): opens a span
 * from `spec` under the span in `parent` and makes it active; `stop(spec.name)` ends it and re-activates the
 * context that was active before.
 */
export function startSpan(spec: SpanSpec, parent: Context): Span {
  const act = activation();
  const opened = pushFrame(spec, resolveContext(parent), resolveContext(act.active()), undefined);
  countOpen(spec.name, 1);
  act.activate(opened.context);
  return opened.span;
}

function checkName(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  reportMisuse('INVALID_ARGUMENT', `${what} must be a string, got ${typeof value}`);
  return asText(value);
}

function checkPort(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const port = endpointPort(value);
  if (port === undefined) reportMisuse('INVALID_ARGUMENT', `port must be an integer from 0 to 65535 (or one as text, '80'), got ${quoted(value)}`);
  return port;
}

/**
 * Starts span `name` of service `serviceName` and makes it the active span for the code that runs after it in
 * this async flow, until `stop(name)`. Its parent is the innermost active span (a facade span or one OTel-native
 * code made active); with a `token` (from `getTraceInfo()`), the remote span it names; else it starts a new trace.
 *
 * A token that is not a valid `traceparent` is reported and ignored. A token wins over the active span: you pass
 * one exactly when you mean to continue that trace. Never throws outside strict mode.
 */
export function start(serviceName: string, name: string, address?: string, port?: number | string, token?: string): void {
  try {
    const spec: SpanSpec = { serviceName: checkName(serviceName, 'serviceName'), name: checkName(name, 'name') };
    if (address !== undefined && address !== null) spec.address = checkName(address, 'address');
    const checkedPort = checkPort(port);
    if (checkedPort !== undefined) spec.port = checkedPort;
    const act = activation();
    const active = resolveContext(act.active());
    let parent = active;
    if (token !== undefined && token !== null) {
      const remote = parseToken(token);
      if (remote === undefined) reportMisuse('INVALID_TOKEN', `start(${quoted(spec.name)}): ignored a token that is not a W3C traceparent`);
      else parent = trace.setSpanContext(active, remote);
    }
    act.activate(pushFrame(spec, parent, active, undefined).context);
    countOpen(spec.name, 1);
  } catch (error) {
    contain('start', error);
  }
}

/** Why `stop(name)` found no open span of that name in its flow. */
function reportNotOpen(name: string, innermost: Frame | undefined): void {
  if (openByName.has(name)) {
    reportMisuse(
      'STOP_OUT_OF_SCOPE',
      `stop(${quoted(name)}): a span of that name is open, but not in this flow: its start() ran inside a callback ` +
        '(context.with, startActiveSpan, a traced function or request handler) that had returned before this stop(), ' +
        'or in another request; nothing ended. Stop it inside that callback.',
    );
  } else if (innermost === undefined) {
    reportMisuse('STOP_WITHOUT_SPAN', `stop(${quoted(name)}): no span started with start() is open in this flow`);
  } else {
    reportMisuse('STOP_UNKNOWN_NAME', `stop(${quoted(name)}): no open span has that name (innermost: ${quoted(innermost.name)}); nothing ended`);
  }
}

function stopNamed(name: string): void {
  const act = activation();
  const active = act.active();
  const top = topFrame(active);
  // The frames above the target, innermost first; frames stopped from another flow are skipped.
  const above: Frame[] = [];
  let target = top;
  while (target !== undefined && target.owner === undefined && (target.stopped || target.name !== name)) {
    if (!target.stopped) above.push(target);
    target = target.below;
  }
  if (target === undefined) {
    reportNotOpen(name, top);
    return;
  }
  if (target.owner !== undefined) {
    let below = target.below;
    while (below !== undefined && below.name !== name) below = below.below;
    if (target.name !== name && below === undefined) {
      reportNotOpen(name, top);
      return;
    }
    reportMisuse(
      'STOP_OWNED_SPAN',
      target.name === name
        ? `stop(${quoted(name)}): that span belongs to ${target.owner}, which ends it; nothing ended`
        : `stop(${quoted(name)}): that span was started outside the span ${quoted(target.name)} of ${target.owner} and cannot be ended inside it; nothing ended`,
    );
    return;
  }
  if (above.length > 0) {
    reportMisuse('STOP_OUT_OF_ORDER', `stop(${quoted(name)}) also ended the spans opened after it and not stopped: ${quoteNames(above.map((frame) => frame.name))}`);
    for (const frame of above) {
      frame.span.setAttribute(ATTR_NOT_STOPPED, true);
      closeFrame(frame);
    }
  }
  closeFrame(target);
  act.activate(resolveContext(active));
}

/**
 * Ends the innermost facade span, which should be named `name`, and re-activates the context that was active
 * before it started; every context that captured the span while it was open (an awaiting caller, a timer) stops
 * seeing it too. A name deeper in the stack also ends the spans above it, each marked `tomograph.not_stopped`; a
 * name not on the stack, or a span an integration owns, ends nothing. All are reported through `diag` (thrown in
 * strict mode, before anything is ended).
 */
export function stop(name: string): void {
  try {
    stopNamed(name);
  } catch (error) {
    contain('stop', error);
  }
}
