// Facade frames inside OpenTelemetry Contexts, and why a stopped span is active nowhere.
//
// `start()` has no callback to scope a span to, so it makes its context active for the rest of the async flow
// (enterWith-style). Every async continuation that captured that context while the span was open keeps it: the
// caller that awaited the function (its sync part ran `start()` in the caller's flow), the next tick of the same
// timer, a listener, a promise chain. Entering the old context again at `stop()` only reaches `stop()`'s own
// flow (pitfall 5 in the bridge notes). So the context itself decides: a frame context reads as the context that
// was active before its `start()` once its frame has stopped, and so does every context derived from it.
//
// Contexts derived from ours are ours: OTel builds a new context only through `ctx.setValue`/`deleteValue` of
// the one it has, so `trace.setSpan(active, span)` on a facade context yields a layer over it, which sees
// through a stopped frame as well. New frames start on a resolved context (stopped frames skipped, layers
// rebuilt over what they skipped to), so nothing chains: a loop of awaited jobs stays one frame deep.
//
// A frame an integration owns (a request's, a `traced` call's) is callback-scoped: only work that ran or was
// captured inside the callback holds its contexts, and no caller shares them. Once it has ended it still reads as
// itself, as an ended span does in plain OpenTelemetry: work that outlives the request or the call (after the
// response, after a client disconnect, a timer or a fire-and-forget task started in it) stays in its trace.
import { createContextKey, type Context, type Span } from '@opentelemetry/api';

/** One span opened by the facade (or an integration), and what reads in its place once it has stopped. */
export interface Frame {
  readonly name: string;
  readonly span: Span;
  /** The resolved context that was active before this span started: what its contexts read as once stopped. */
  readonly restore: Context;
  /** The frame that was innermost when this one started. */
  readonly below: Frame | undefined;
  /** Who ends the span: undefined for `start()` (ended by `stop()`), else the integration that owns it. */
  readonly owner: string | undefined;
  /**
   * For a request's frame, the ids of the spans that enclose it (the instrumentation's server span, its layer
   * spans): while this frame's span is the active one, making one of them active again leaves this span active.
   * The express and router instrumentations re-activate the span that enclosed each middleware around its
   * `next()`, which would put the rest of the request beside this span, not under it. Any other span still
   * becomes active as usual.
   */
  readonly pinnedOver: ReadonlySet<string> | undefined;
  stopped: boolean;
}

// The key OpenTelemetry's `trace.setSpan`/`getSpan` use (createContextKey is Symbol.for, so every copy of the
// API agrees on it).
const SPAN_KEY = createContextKey('OpenTelemetry Context Key SPAN');
const FRAME_KEY = createContextKey('tomograph.frame');
// A deleted key: distinct from any value a caller may store, undefined included.
const DELETED: unique symbol = Symbol('tomograph.deleted');

/**
 * A Context that is either a frame (the span and the frame over `parent`) or a layer (one key over `parent`).
 * Lookups walk up; a stopped frame redirects the walk to its `restore` context. A frame also keeps `base`, the
 * nearest context below it that is not a frame: while the frame is open any other key reads the same there (a
 * frame changes only the span and the frame), so lookups skip a stack of open frames in one step and a stack
 * 100,000 deep costs no more to read than one.
 */
class FacadeContext implements Context {
  readonly base: Context;

  constructor(
    readonly parent: Context,
    readonly frame: Frame | undefined,
    readonly key: symbol | undefined,
    readonly value: unknown,
  ) {
    this.base = frame !== undefined && parent instanceof FacadeContext && parent.frame !== undefined ? parent.base : parent;
  }

  getValue(key: symbol): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts here and moves up the chain
    let ctx: Context = this;
    while (ctx instanceof FacadeContext) {
      const frame = ctx.frame;
      if (frame === undefined) {
        if (ctx.key === key) return ctx.value === DELETED ? undefined : ctx.value;
        ctx = ctx.parent;
      } else if (frame.stopped && frame.owner === undefined) {
        ctx = frame.restore;
      } else if (key === SPAN_KEY) {
        return frame.span;
      } else if (key === FRAME_KEY) {
        return frame;
      } else {
        ctx = ctx.base;
      }
    }
    return ctx.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    if (key === SPAN_KEY && isPinnedAgainst(this, value)) return this;
    return new FacadeContext(this, undefined, key, value);
  }

  deleteValue(key: symbol): Context {
    return new FacadeContext(this, undefined, key, DELETED);
  }
}

/**
 * True when `ctx` holds a frame whose span is the active one and `span` is one of the spans it is pinned over
 * (see Frame.pinnedOver).
 */
function isPinnedAgainst(ctx: Context, span: unknown): boolean {
  const frame = ctx.getValue(FRAME_KEY) as Frame | undefined;
  if (frame?.pinnedOver === undefined || span === frame.span || ctx.getValue(SPAN_KEY) !== frame.span) return false;
  const spanContext = typeof (span as Span | undefined)?.spanContext === 'function' ? (span as Span).spanContext() : undefined;
  return spanContext !== undefined && frame.pinnedOver.has(spanContext.spanId);
}

/** A context over `parent` holding `frame` (its span active, its frame innermost) until the frame stops. */
export function frameContext(parent: Context, frame: Frame): Context {
  return new FacadeContext(parent, frame, undefined, undefined);
}

/** The innermost open facade frame in `ctx`, if any. */
export function topFrame(ctx: Context): Frame | undefined {
  return ctx.getValue(FRAME_KEY) as Frame | undefined;
}

/**
 * `ctx` without stopped frames in its chain: what a new frame starts on and what `stop()` re-activates, so that
 * contexts never chain through spans that have ended. Returns `ctx` itself when nothing in it has stopped.
 */
export function resolveContext(ctx: Context): Context {
  // A loop for stopped frames: `stop()` over a deep stack leaves a chain of them as long as the stack.
  while (ctx instanceof FacadeContext && ctx.frame !== undefined && ctx.frame.stopped && ctx.frame.owner === undefined) ctx = ctx.frame.restore;
  if (!(ctx instanceof FacadeContext) || ctx.frame !== undefined) return ctx;
  const parent = resolveContext(ctx.parent);
  return parent === ctx.parent ? ctx : new FacadeContext(parent, undefined, ctx.key, ctx.value);
}
