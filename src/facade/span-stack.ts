// start/stop: the legacy per-thread span stack, kept as immutable frames inside the OpenTelemetry Context.
//
// Each `start` makes a new Context holding the new span (so OTel-native code sees it as the active span) and a
// frame pointing to the frame below; `stop` ends spans and re-activates the context that was active before the
// matching `start`. Because the stack lives in the Context, each async flow that forked from a boundary has
// its own stack, and nothing is shared or mutated across flows.
import { hostname } from 'node:os';
import {
  createContextKey,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { ATTR_ENDPOINT_ADDRESS, ATTR_ENDPOINT_PORT, ATTR_NOT_STOPPED, ATTR_SERVICE_NAME } from '../attributes.js';
import { activation } from '../context/activation.js';
import { asText, reportMisuse } from './misuse.js';
import { parseToken } from './token.js';
import { facadeTracer } from './tracer.js';

/** One span opened by the facade, and what to go back to when it stops. */
export interface Frame {
  readonly name: string;
  readonly span: Span;
  /** The context that was active before this span started; `stop` re-activates it. */
  readonly restore: Context;
  readonly below: Frame | undefined;
}

/** What a facade span is: the legacy (service, name, endpoint) plus what integrations add. */
export interface SpanSpec {
  serviceName: string;
  name: string;
  /** Endpoint address; default: this machine's host name (the legacy `0.0.0.0` meant the same). */
  address?: string;
  /** Endpoint port; default 0. */
  port?: number;
  kind?: SpanKind;
  attributes?: Attributes;
}

const FRAME = createContextKey('tomograph.frame');
const HOST_NAME = hostname();

/** The innermost facade frame in `ctx`, if any. */
export function topFrame(ctx: Context): Frame | undefined {
  return ctx.getValue(FRAME) as Frame | undefined;
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

function pushSpan(spec: SpanSpec, parent: Context, restore: Context): { span: Span; context: Context } {
  const span = facadeTracer().startSpan(
    spec.name,
    { kind: spec.kind ?? SpanKind.INTERNAL, attributes: spanAttributes(spec) },
    parent,
  );
  const frame: Frame = { name: spec.name, span, restore, below: topFrame(parent) };
  return { span, context: trace.setSpan(parent, span).setValue(FRAME, frame) };
}

/**
 * Creates a facade span as a child of the span in `parent` (or a new trace) and returns a context holding
 * it, without activating it: integrations run their work in `context.with(result.context, …)` and end the
 * span themselves, so `annotate`, `tag` and nested `start` calls inside land on it.
 */
export function openSpan(spec: SpanSpec, parent: Context): { span: Span; context: Context } {
  return pushSpan(spec, parent, parent);
}

/**
 * Like `start`, for integrations that choose the parent themselves (e.g. from request headers): opens a span
 * from `spec` under the span in `parent` and makes it active; `stop(spec.name)` ends it and re-activates the
 * context that was active before.
 */
export function startSpan(spec: SpanSpec, parent: Context): Span {
  const act = activation();
  const opened = pushSpan(spec, parent, act.active());
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
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535) return value;
  reportMisuse('INVALID_ARGUMENT', `port must be an integer from 0 to 65535, got ${asText(value)}`);
  return undefined;
}

/**
 * Starts span `name` of service `serviceName` and makes it the active span for the code that runs after it in
 * this async flow. Its parent is the innermost active span (a facade span or one OTel-native code made active);
 * with a `token` (from `getTraceInfo()`), the remote span it names; else it starts a new trace.
 *
 * A token that is not a valid `traceparent` is reported and ignored. A token wins over the active span: you pass
 * one exactly when you mean to continue that trace.
 */
export function start(serviceName: string, name: string, address?: string, port?: number, token?: string): void {
  const act = activation();
  const active = act.active();
  let parent = active;
  if (token !== undefined && token !== null) {
    const remote = parseToken(token);
    if (remote === undefined) reportMisuse('INVALID_TOKEN', `start('${asText(name)}'): ignored a token that is not a W3C traceparent`);
    else parent = trace.setSpanContext(active, remote);
  }
  const spec: SpanSpec = { serviceName: checkName(serviceName, 'serviceName'), name: checkName(name, 'name') };
  if (address !== undefined && address !== null) spec.address = checkName(address, 'address');
  const checkedPort = checkPort(port);
  if (checkedPort !== undefined) spec.port = checkedPort;
  act.activate(pushSpan(spec, parent, active).context);
}

/**
 * Ends the innermost facade span, which should be named `name`, and re-activates the context that was active
 * before it started. A name deeper in the stack also ends the spans above it, each marked
 * `tomograph.not_stopped`; a name not on the stack ends nothing. Both are reported through `diag` (thrown in
 * strict mode, before anything is ended).
 */
export function stop(name: string): void {
  const act = activation();
  const top = topFrame(act.active());
  if (top === undefined) {
    reportMisuse('STOP_WITHOUT_SPAN', `stop('${asText(name)}'): no span started with start() is open in this flow`);
    return;
  }
  if (top.name === name) {
    top.span.end();
    act.activate(top.restore);
    return;
  }
  let target = top.below;
  while (target !== undefined && target.name !== name) target = target.below;
  if (target === undefined) {
    reportMisuse('STOP_UNKNOWN_NAME', `stop('${asText(name)}'): no open span has that name (innermost: '${top.name}'); nothing ended`);
    return;
  }
  const skipped: string[] = [];
  for (let frame: Frame | undefined = top; frame !== undefined && frame !== target; frame = frame.below) skipped.push(frame.name);
  reportMisuse('STOP_OUT_OF_ORDER', `stop('${name}') also ended the spans opened after it and not stopped: ${skipped.map((s) => `'${s}'`).join(', ')}`);
  for (let frame: Frame | undefined = top; frame !== undefined && frame !== target; frame = frame.below) {
    frame.span.setAttribute(ATTR_NOT_STOPPED, true);
    frame.span.end();
  }
  target.span.end();
  act.activate(target.restore);
}
