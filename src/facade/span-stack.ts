// start/stop: the legacy per-thread span stack, kept as frames inside the OpenTelemetry Context.
//
// Each `start` makes a frame context (context/frame-context.ts) holding the new span, so OTel-native code sees it
// as the active span, and a frame pointing to the frame below; `stop` marks frames stopped, ends their spans and
// re-activates the resolved context. A stopped frame reads as the context active before its start everywhere,
// including contexts captured while it was open (the caller of an async function, a timer's next tick). Because
// the stack lives in the Context, each async flow that forked from a boundary has its own stack.
import { hostname } from 'node:os';
import { diag, SpanKind, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { ATTR_ENDPOINT_ADDRESS, ATTR_ENDPOINT_PORT, ATTR_SERVICE_NAME } from '../attributes.js';
import { activation } from '../context/activation.js';
import { callbacksHaveOwnContext } from '../context/callback-contexts.js';
import {
  closeFrame,
  frameAt,
  frameCore,
  innermostFrame,
  openFrame,
  resolveContext,
  topFrame,
  type Frame,
} from '../context/frame-context.js';
import { warnOnce } from '../context/shared-core.js';
import { endpointPort } from './endpoint-port.js';
import { asText, contain, quoted, quoteNames, reportMisuse } from './misuse.js';
import { parseToken } from './token.js';
import { facadeTracer } from './tracer.js';

export type { Frame };
export { closeFrame };

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

// How many spans `start()` opened and nothing has ended, by name (frameCore.openByName, shared by every copy of
// tomograph in the process): when `stop(name)` finds no such span in its flow, this tells "open elsewhere" (started
// in a scope that has ended, or in another flow) from "not open". Entries go at zero. Spans never stopped keep
// theirs, so the names are bounded (10,000): past the bound a new name is not counted, and a stop() of it is
// reported as not open.
const { openByName } = frameCore;

/** The attributes every facade span records: its service and its endpoint. */
function spanAttributes(spec: SpanSpec): Attributes {
  const address = spec.address ?? HOST_NAME;
  const port = spec.port ?? 0;
  const given = spec.attributes;
  // start()'s spans: one literal, the shape V8 makes fastest.
  if (given === undefined)
    return { [ATTR_SERVICE_NAME]: spec.serviceName, [ATTR_ENDPOINT_ADDRESS]: address, [ATTR_ENDPOINT_PORT]: port };
  // An integration's: key by key, not `{ ...given, [ATTR_SERVICE_NAME]: … }`, a literal the SDK then copied slowly
  // (the middleware's costliest own step in a profile of bench/http-load).
  const attributes: Attributes = {};
  for (const key of Object.keys(given)) attributes[key] = given[key];
  attributes[ATTR_SERVICE_NAME] = spec.serviceName;
  attributes[ATTR_ENDPOINT_ADDRESS] = address;
  attributes[ATTR_ENDPOINT_PORT] = port;
  return attributes;
}

/** A span opened with its frame, and the context that holds both. */
export interface OpenedSpan {
  readonly span: Span;
  readonly frame: Frame;
  readonly context: Context;
}

/** `parent` and `restore` must be resolved (no stopped frame in them): see resolveContext. */
function pushFrame(
  spec: SpanSpec,
  parent: Context,
  restore: Context,
  owner: string | undefined,
  pinnedOver?: ReadonlySet<string>,
): OpenedSpan {
  const span = facadeTracer().startSpan(
    spec.name,
    { kind: spec.kind ?? SpanKind.INTERNAL, attributes: spanAttributes(spec) },
    parent,
  );
  const { frame, context } = openFrame(spec.name, span, parent, restore, owner, pinnedOver);
  if (owner === undefined && frame.below?.name === spec.name && frame.below.owner === undefined)
    reportNestedSameName(spec.name);
  return { span, frame, context };
}

/**
 * A span that starts inside an open span of its own name is most often a job whose previous run never reached
 * its stop() (it threw between start and stop): every later job of the loop would nest under a span that is
 * never exported. Said once, through diag; recursion that means it can ignore it.
 */
function reportNestedSameName(name: string): void {
  warnOnce(
    frameCore.warned,
    'TOMOGRAPH_NESTED_SAME_NAME',
    `start(${quoted(name)}) began inside an open span of the same name: if a start() before it never reached its ` +
      'stop() (an exception between them), every later span of that flow nests under a span that is never exported. ' +
      'Call stop() in a finally block, or run each job through traced().',
    false,
  );
}

/**
 * Creates a span owned by integration `owner` (e.g. 'middleware') as a child of the span in `parent` (or a new
 * trace) and returns a context holding it, without activating it: the integration runs its work in
 * `context.with(result.context, …)` and ends it with `closeFrame(result.frame)`, so `annotate`, `tag` and nested
 * `start` calls inside land on it, while a user's `stop()` cannot end it. A request's span stays active over the
 * enclosing spans `pinnedOver` names, which instrumentation re-activates around it (see Frame.pinnedOver).
 */
export function openSpan(
  spec: SpanSpec,
  parent: Context,
  owner: string,
  options: { pinnedOver?: ReadonlySet<string> } = {},
): OpenedSpan {
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
  opened.frame.token = act.activate(opened.context);
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
  if (port === undefined)
    reportMisuse(
      'INVALID_ARGUMENT',
      `port must be an integer from 0 to 65535 (or one as text, '80'), got ${quoted(value)}`,
    );
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
export function start(
  serviceName: string,
  name: string,
  address?: string,
  port?: number | string,
  token?: string,
): void {
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
      if (remote === undefined)
        reportMisuse('INVALID_TOKEN', `start(${quoted(spec.name)}): ignored a token that is not a W3C traceparent`);
      else parent = trace.setSpanContext(active, remote);
    }
    const opened = pushFrame(spec, parent, active, undefined);
    opened.frame.token = act.activate(opened.context);
  } catch (error) {
    contain('start', error);
  }
}

// On Node 24+ a timer's earlier tick and an emitter's earlier listener call are such callbacks too; on Node 20/22
// they are not (a span started in one tick is still open in the next), so the report says which this Node does.
const EARLIER_CALLBACK = callbacksHaveOwnContext
  ? `, or, on Node ${process.versions.node}, an earlier tick of a timer or call of an event listener, each of which runs in its own context`
  : '';

/** Why `stop(name)` found no open span of that name in its flow. */
function reportNotOpen(name: string, innermost: Frame | undefined): void {
  if (openByName.has(name)) {
    reportMisuse(
      'STOP_OUT_OF_SCOPE',
      `stop(${quoted(name)}): a span of that name is open, but not in this flow: its start() ran inside a callback ` +
        `(context.with, startActiveSpan, a traced function or request handler${EARLIER_CALLBACK}) that had returned ` +
        'before this stop(), or in another request; nothing ended. Stop it inside that callback.',
    );
  } else if (innermost === undefined) {
    reportMisuse('STOP_WITHOUT_SPAN', `stop(${quoted(name)}): no span started with start() is open in this flow`);
  } else {
    reportMisuse(
      'STOP_UNKNOWN_NAME',
      `stop(${quoted(name)}): no open span has that name (innermost: ${quoted(innermost.name)}); nothing ended`,
    );
  }
}

/** The open frame under `frame` in its flow, skipping frames stopped since (whose own `below` is let go). */
function openBelow(frame: Frame): Frame | undefined {
  const below = frame.below;
  return below === undefined || !below.stopped ? below : topFrame(below.restore);
}

/**
 * A `stop(name)` after the span was ended another way (its `span.end()`, or the integration that owns the flow
 * ending it as it ended) is no misuse: it finds that frame innermost in its flow and only makes the context before
 * it active. Returns false when there is no such frame.
 */
function stopEndedElsewhere(name: string, active: Context): boolean {
  const frame = innermostFrame(active);
  if (frame === undefined || !frame.stopped || frame.endedBy === undefined || frame.name !== name) return false;
  frame.endedBy = undefined;
  activation().activate(resolveContext(active));
  return true;
}

function stopNamed(name: string): void {
  const act = activation();
  const active = act.active();
  // An integration's frame reads as itself after it ended (work that outlives a request stays in its trace), but
  // it is no longer open: a stop() there finds no open frame.
  const innermost = topFrame(active);
  const top = innermost?.stopped === true ? undefined : innermost;
  // The open frames above the target, innermost first: they stay open (each is ended by its own stop(), or by
  // the integration that owns the flow), since they may belong to a helper still running (see below).
  const above: Frame[] = [];
  let target = top;
  while (target !== undefined && target.owner === undefined && target.name !== name) {
    above.push(target);
    target = openBelow(target);
  }
  if (target === undefined) {
    if (!stopEndedElsewhere(name, active)) reportNotOpen(name, top);
    return;
  }
  if (target.owner !== undefined) {
    let below = openBelow(target);
    while (below !== undefined && below.name !== name) below = openBelow(below);
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
  const token = target.token;
  const activatedHere = frameAt(active) === target;
  closeFrame(target);
  if (above.length > 0) {
    // An async helper that called start() before its first await, and is still running, shares this flow (its
    // sync part ran here): its span is open above ours. Ending it would cut the helper short; it stays open and
    // active here until its own stop() (the sibling chain of the README's Known limits).
    diag.debug(
      `tomograph: stop(${quoted(name)}) left open the spans started after it in this flow: ${quoteNames(above.map((frame) => frame.name))}`,
    );
  } else if (token !== undefined && activatedHere) {
    // This flow's current activation is start()'s own: undo it, as the context manager advises.
    token.dispose();
  } else {
    act.activate(resolveContext(active));
  }
}

/**
 * Ends the innermost open span named `name` in this flow, started with `start()`, and re-activates the context
 * that was active before it started; every context that captured the span while it was open (an awaiting caller, a
 * timer) stops seeing it too. Spans opened after it and still open are not ended: each is ended by its own
 * `stop()` (a fire-and-forget helper's, say) or, never stopped, by the integration that owns the flow (marked
 * `tomograph.not_stopped`). A name not open in this flow, or a span an integration owns, ends nothing and is
 * reported through `diag` (thrown in strict mode); a span already ended by `span.end()` or by its integration
 * is not.
 */
export function stop(name: string): void {
  try {
    stopNamed(name);
  } catch (error) {
    contain('stop', error);
  }
}
