// A request's span stays active over the spans that enclose it (which the express and router instrumentations
// re-activate around next()), and over nothing else: any other span made active in the request becomes active.
import { context, trace, type Context } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSpan } from '../../src/facade/span-stack.js';
import { setupOtel, type OtelHarness } from '../support/otel.js';

let otel: OtelHarness;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(() => otel.teardown());

function requestContext(): { request: Context; enclosing: ReturnType<OtelHarness['tracer']['startSpan']> } {
  const enclosing = otel.tracer.startSpan('middleware - layer');
  const opened = openSpan(
    { serviceName: 'api', name: 'HTTP' },
    trace.setSpan(context.active(), enclosing),
    'middleware()',
    {
      pinnedOver: new Set([enclosing.spanContext().spanId]),
    },
  );
  return { request: opened.context, enclosing };
}

describe('a pinned request span', () => {
  it('stays active when an enclosing span is made active over it', () => {
    const { request, enclosing } = requestContext();
    const requestSpan = trace.getSpan(request);
    expect(trace.getSpan(trace.setSpan(request, enclosing))).toBe(requestSpan);
  });

  it('gives way to any other span: a child, a grandchild, a span with a remote parent', () => {
    const { request } = requestContext();
    const child = otel.tracer.startSpan('child', {}, request);
    const grandchild = otel.tracer.startSpan('grandchild', {}, trace.setSpan(request, child));
    const remote = otel.tracer.startSpan(
      'consumer',
      {},
      trace.setSpanContext(context.active(), {
        traceId: '463ac35c9f6413ad48485a3953bb6124',
        spanId: 'a2fb4a1d1a96d312',
        traceFlags: 1,
        isRemote: true,
      }),
    );
    for (const span of [child, grandchild, remote]) {
      expect(context.with(trace.setSpan(request, span), () => trace.getActiveSpan())).toBe(span);
    }
  });

  it('gives way to an enclosing span once another span is active over it', () => {
    const { request, enclosing } = requestContext();
    const child = otel.tracer.startSpan('child', {}, request);
    const underChild = trace.setSpan(request, child);
    expect(trace.getSpan(trace.setSpan(underChild, enclosing))).toBe(enclosing);
  });
});
