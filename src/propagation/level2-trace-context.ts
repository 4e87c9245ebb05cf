// W3C trace context with the Level 2 `tracestate`: the stock W3CTraceContextPropagator reads and writes
// `traceparent`; the `tracestate` it carries is replaced by one read with the Level 2 grammar (./tracestate.ts).
// Used by createPropagator('w3c') and by extractParent(), so that the HTTP helpers keep to Level 2 whichever
// W3C propagator the app registered.
import {
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { Level2TraceState } from './tracestate.js';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
// The ids of a traceparent of any version; the propagator has already judged the rest of its form.
const TRACEPARENT_IDS = /^[ \t]*[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-/;

/** One header value as text: a repeated `traceparent` is invalid, a repeated `tracestate` is one list. */
function single(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}

/**
 * `context` with its remote span context's `traceState` read from the carrier's `tracestate` by the Level 2 rules
 * (or removed, when that header is absent or invalid). Only a span context that came from the carrier's own
 * `traceparent` is touched: W3C discards a `tracestate` that arrives without one, and a span context a B3
 * propagator extracted has no `tracestate` of its own.
 */
export function withLevel2TraceState<Carrier>(
  context: Context,
  carrier: Carrier,
  getter: TextMapGetter<Carrier>,
): Context {
  const spanContext = trace.getSpanContext(context);
  if (spanContext === undefined) return context;
  const ids = TRACEPARENT_IDS.exec(single(getter.get(carrier, TRACEPARENT)) ?? '');
  if (ids === null || ids[1] !== spanContext.traceId || ids[2] !== spanContext.spanId) return context;
  const raw = getter.get(carrier, TRACESTATE);
  const traceState = Level2TraceState.fromHeader(raw);
  const { traceState: _stock, ...rest } = spanContext;
  return trace.setSpanContext(context, traceState === undefined ? rest : { ...rest, traceState });
}

/**
 * The W3C trace context propagator with a Level 2 `tracestate` on extract; inject is the stock one's. The stock
 * W3CTraceContextPropagator is passed in: it comes from the app's own @opentelemetry/core (sdk-line/peers.ts).
 */
export class Level2TraceContextPropagator implements TextMapPropagator {
  readonly #stock: TextMapPropagator;

  constructor(stock: TextMapPropagator) {
    this.#stock = stock;
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.#stock.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this.#stock.extract(context, carrier, getter);
    return extracted === context ? context : withLevel2TraceState(extracted, carrier, getter);
  }

  fields(): string[] {
    return this.#stock.fields();
  }
}
