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
//
// Three bounds keep this cheap however frames are stopped. A stopped frame's `restore` is compressed as it is
// walked (a chain of stopped frames is walked once, then skipped), so siblings stopped in start order cost one
// step each, not one per earlier sibling. A stopped frame lets go of its span, the frame below and its context's
// parent, so a timer captured deep in a stack keeps a few small objects alive, not every enclosing span. And the
// class and keys live in one core per process (context/shared-core.ts), so two copies of tomograph read each
// other's frames.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createContextKey, INVALID_SPAN_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';
import { ATTR_NOT_STOPPED } from '../attributes.js';
import { isSpanEnded, OTEL_SPAN_KEY } from '../otel-internals/index.js';
import { TRACER_VERSION } from '../facade/tracer.js';
import { sharedCore } from './shared-core.js';

/** What `attach()` returns: disposing it restores the context that was active before (RunScope on Node ≥ 25.9). */
export interface ActivationToken {
  dispose(): void;
}

/** One span opened by the facade (or an integration), and what reads in its place once it has stopped. */
export interface Frame {
  readonly name: string;
  /** The span; once a `start()` frame has stopped, a non-recording placeholder (the frame lets go of it). */
  span: Span;
  /** The context that was active before this span started: what its contexts read as once stopped. */
  restore: Context;
  /** The frame that was innermost when this one started (let go once stopped). */
  below: Frame | undefined;
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
  /** Who ended the span when its own `stop()` did not: `'span.end()'` or the owning integration. */
  endedBy: string | undefined;
  /** For a `start()` frame, the nearest integration frame below it: it ends this one, if still open, as it ends. */
  enclosing: Frame | undefined;
  /** For an integration frame, the `start()` frames opened inside it that are still open. */
  inside: Set<Frame> | undefined;
  /** The token of the activation `start()` made, disposed by a `stop()` in the same flow. */
  token: ActivationToken | undefined;
  /** The frame's own context (until a `start()` frame stops and its context lets go of it). */
  context: Context | undefined;
  /**
   * The nearest context below this frame that is not a frame: while the frame is open any key but the span and
   * the frame reads the same there, so lookups skip a stack of open frames in one step (a stack 100,000 deep
   * costs no more to read than one). Once stopped, the frame's restore.
   */
  base: Context;
}

/** How many stopped frames lookups have stepped over (for tests of the cost's shape; never reset). */
export interface FrameStats {
  stoppedFramesWalked: number;
}

interface FrameCore {
  openFrame(
    name: string,
    span: Span,
    parent: Context,
    restore: Context,
    owner: string | undefined,
    pinnedOver?: ReadonlySet<string>,
  ): { frame: Frame; context: Context };
  closeFrame(frame: Frame, endedBy?: string): void;
  topFrame(ctx: Context): Frame | undefined;
  innermostFrame(ctx: Context): Frame | undefined;
  frameAt(ctx: Context): Frame | undefined;
  resolveContext(ctx: Context): Context;
  isFacadeContext(ctx: Context): boolean;
  /** Spans `start()` opened and nothing has ended, by name (see span-stack.ts). */
  readonly openByName: Map<string, number>;
  /** The AsyncLocalStorage the facade uses when OTel's context manager cannot be set without a callback. */
  readonly privateStorage: AsyncLocalStorage<Context>;
  /** Which one-time warnings this process has given. */
  readonly warned: Set<string>;
  readonly stats: FrameStats;
}

// Bump when Frame, FacadeContext or the core's functions change meaning: copies with another protocol keep apart.
const PROTOCOL = 2;

// How many names the open-span count keeps (see span-stack.ts).
const MAX_COUNTED_NAMES = 10_000;

function createFrameCore(): FrameCore {
  // The key OpenTelemetry's `trace.setSpan`/`getSpan` use (every copy of the API agrees on it).
  const SPAN_KEY = OTEL_SPAN_KEY;
  const FRAME_KEY = createContextKey('tomograph.frame');
  // A deleted key: distinct from any value a caller may store, undefined included.
  const DELETED: unique symbol = Symbol('tomograph.deleted');
  // What a stopped `start()` frame holds instead of its span.
  const LET_GO = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  const openByName = new Map<string, number>();
  const stats: FrameStats = { stoppedFramesWalked: 0 };

  function countOpen(name: string, delta: 1 | -1): void {
    const count = (openByName.get(name) ?? 0) + delta;
    if (count <= 0) openByName.delete(name);
    else if (openByName.has(name) || openByName.size < MAX_COUNTED_NAMES) openByName.set(name, count);
  }

  // The key of a frame context whose `start()` frame has stopped: it lets go of its frame and reads as its
  // parent, the frame's restore, from then on (it holds nothing, so a captured context keeps little alive).
  const PASSED: unique symbol = Symbol('tomograph.passed');

  /**
   * A Context that is a frame (its span and itself over the frame's `base`), a layer (one key over `parent`), or a
   * stopped `start()` frame that passes every lookup to `parent`. Lookups walk up; a stopped frame redirects the
   * walk to its `restore` context.
   */
  class FacadeContext implements Context {
    constructor(
      /** A layer's parent; undefined for a frame, which reads through its frame's `base`. */
      public parent: Context | undefined,
      public frame: Frame | undefined,
      public key: symbol | undefined,
      readonly value: unknown,
    ) {}

    getValue(key: symbol): unknown {
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts here and moves up the chain
      let ctx: Context = this;
      while (ctx instanceof FacadeContext) {
        const frame = ctx.frame;
        if (frame === undefined) {
          if (ctx.key === PASSED) {
            ctx = skipPassed(ctx);
            continue;
          }
          if (ctx.key === key) return ctx.value === DELETED ? undefined : ctx.value;
          ctx = ctx.parent as Context;
        } else if (frame.owner === undefined && isStopped(frame)) {
          // An integration's frame still reads as itself once ended (see above); a start() frame reads through.
          ctx = restoreOf(frame);
        } else if (key === SPAN_KEY) {
          return frame.span;
        } else if (key === FRAME_KEY) {
          return frame;
        } else {
          ctx = frame.base;
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

  /** Whether `frame` has stopped; a span ended by `span.end()` instead of `stop()` stops its frame here. */
  function isStopped(frame: Frame): boolean {
    if (frame.stopped) return true;
    if (!isSpanEnded(frame.span)) return false;
    closeFrame(frame, 'span.end()');
    return true;
  }

  /** Whether `ctx` reads as another context: a stopped frame's (its restore) or a passed one's (its parent). */
  function readsThrough(ctx: Context): ctx is FacadeContext {
    return (
      ctx instanceof FacadeContext &&
      (ctx.key === PASSED || (ctx.frame !== undefined && ctx.frame.owner === undefined && isStopped(ctx.frame)))
    );
  }

  /** What `ctx` (a stopped or passed frame context) reads as. */
  function throughOf(ctx: FacadeContext): Context {
    stats.stoppedFramesWalked++;
    return ctx.frame !== undefined ? ctx.frame.restore : (ctx.parent as Context);
  }

  /** The context past a run of stopped frames starting at `start`. */
  function pastStopped(start: Context): Context {
    let target = start;
    while (readsThrough(target)) target = throughOf(target);
    return target;
  }

  /** A stopped frame's restore, with the stopped frames it leads through skipped for good (path compression). */
  function restoreOf(frame: Frame): Context {
    stats.stoppedFramesWalked++;
    const target = pastStopped(frame.restore);
    if (target !== frame.restore) frame.restore = target;
    return target;
  }

  /** A passed context's parent, with the stopped frames it leads through skipped for good (path compression). */
  function skipPassed(ctx: FacadeContext): Context {
    stats.stoppedFramesWalked++;
    const target = pastStopped(ctx.parent as Context);
    if (target !== ctx.parent) ctx.parent = target;
    return target;
  }

  /**
   * True when `ctx` holds a frame whose span is the active one and `span` is one of the spans it is pinned over
   * (see Frame.pinnedOver).
   */
  function isPinnedAgainst(ctx: Context, span: unknown): boolean {
    const frame = ctx.getValue(FRAME_KEY) as Frame | undefined;
    if (frame?.pinnedOver === undefined || span === frame.span || ctx.getValue(SPAN_KEY) !== frame.span) return false;
    const spanContext =
      typeof (span as Span | undefined)?.spanContext === 'function' ? (span as Span).spanContext() : undefined;
    return spanContext !== undefined && frame.pinnedOver.has(spanContext.spanId);
  }

  function resolveContext(ctx: Context): Context {
    ctx = pastStopped(ctx);
    if (!(ctx instanceof FacadeContext) || ctx.frame !== undefined) return ctx;
    const parent = resolveContext(ctx.parent as Context);
    return parent === ctx.parent ? ctx : new FacadeContext(parent, undefined, ctx.key, ctx.value);
  }

  function topFrame(ctx: Context): Frame | undefined {
    return ctx.getValue(FRAME_KEY) as Frame | undefined;
  }

  function innermostFrame(ctx: Context): Frame | undefined {
    while (ctx instanceof FacadeContext) {
      if (ctx.frame !== undefined) return ctx.frame;
      ctx = ctx.parent as Context;
    }
    return undefined;
  }

  function frameAt(ctx: Context): Frame | undefined {
    return ctx instanceof FacadeContext ? ctx.frame : undefined;
  }

  function baseOf(parent: Context): Context {
    return parent instanceof FacadeContext && parent.frame !== undefined ? parent.frame.base : parent;
  }

  function openFrame(
    name: string,
    span: Span,
    parent: Context,
    restore: Context,
    owner: string | undefined,
    pinnedOver?: ReadonlySet<string>,
  ): { frame: Frame; context: Context } {
    const below = topFrame(parent);
    const outer = owner !== undefined ? undefined : below?.owner !== undefined ? below : below?.enclosing;
    // Work that outlives its integration (after the response) is no longer the integration's to end.
    const enclosing = outer?.stopped === true ? undefined : outer;
    const frame: Frame = {
      name,
      span,
      restore,
      below,
      owner,
      pinnedOver,
      stopped: false,
      endedBy: undefined,
      enclosing,
      inside: undefined,
      token: undefined,
      base: baseOf(parent),
      context: undefined,
    };
    const context = new FacadeContext(undefined, frame, undefined, undefined);
    frame.context = context;
    if (owner === undefined) {
      countOpen(name, 1);
      if (enclosing !== undefined) (enclosing.inside ??= new Set()).add(frame);
    }
    return { frame, context };
  }

  function closeFrame(frame: Frame, endedBy?: string): void {
    if (frame.stopped) return;
    frame.stopped = true;
    frame.endedBy = endedBy;
    if (frame.owner === undefined) {
      countOpen(frame.name, -1);
      frame.enclosing?.inside?.delete(frame);
    } else if (frame.inside !== undefined) {
      // The flow this integration owns is over: what was started in it and never stopped ends with it.
      const open = [...frame.inside].reverse();
      frame.inside = undefined;
      for (const inner of open) {
        if (!inner.stopped && !isSpanEnded(inner.span)) inner.span.setAttribute(ATTR_NOT_STOPPED, true);
        closeFrame(inner, frame.owner);
      }
    }
    if (!isSpanEnded(frame.span)) frame.span.end();
    // Let go of everything a stopped frame no longer reads, so that a context captured inside it keeps little.
    frame.restore = resolveContext(frame.restore);
    frame.base = frame.restore;
    frame.below = undefined;
    frame.enclosing = undefined;
    frame.token = undefined;
    if (frame.owner === undefined) {
      frame.span = LET_GO;
      // Stopped by its own stop(): nothing needs the frame from its context any more (a stop() after span.end()
      // or after the integration ended it does: those keep it).
      const ctx = frame.context;
      if (endedBy === undefined && ctx instanceof FacadeContext) {
        ctx.frame = undefined;
        ctx.key = PASSED;
        ctx.parent = frame.restore;
      }
    }
    frame.context = undefined;
  }

  return {
    openFrame,
    closeFrame,
    topFrame,
    innermostFrame,
    frameAt,
    resolveContext,
    isFacadeContext: (ctx) => ctx instanceof FacadeContext,
    openByName,
    privateStorage: new AsyncLocalStorage<Context>(),
    warned: new Set(),
    stats,
  };
}

const core = sharedCore(PROTOCOL, TRACER_VERSION, createFrameCore);

/**
 * A new frame for `span` over `parent` (the frame below is the innermost in `parent`), reading as `restore` once
 * stopped, and its context. `owner` undefined: a `start()` frame, counted as open and ended by the integration
 * frame it was opened inside if never stopped.
 */
export const openFrame = core.openFrame;

/**
 * Stops `frame` (once): ends its span unless it has ended, and, for an integration frame, every `start()` frame
 * opened inside it that is still open (marked `tomograph.not_stopped`). Every context holding the frame reads as
 * the context before it from now on. `endedBy` names who ended it when its own `stop()` did not.
 */
export const closeFrame = core.closeFrame;

/** The innermost open facade frame in `ctx`, if any. */
export const topFrame = core.topFrame;

/** The innermost facade frame `ctx` was built over, stopped or not (what a late `stop()` looks at). */
export const innermostFrame = core.innermostFrame;

/** The frame `ctx` itself holds (not a layer over it), if `ctx` is a frame context. */
export const frameAt = core.frameAt;

/**
 * `ctx` without stopped frames in its chain: what a new frame starts on, so that contexts never chain through
 * spans that have ended. Returns `ctx` itself when nothing in it has stopped.
 */
export const resolveContext = core.resolveContext;

/** Whether `ctx` is a facade context (of any tomograph copy in this process that shares this core). */
export const isFacadeContext = core.isFacadeContext;

/** The process's shared state: open-span counts, the private storage, one-time warnings, walk counts. */
export const frameCore: Pick<FrameCore, 'openByName' | 'privateStorage' | 'warned' | 'stats'> = core;
