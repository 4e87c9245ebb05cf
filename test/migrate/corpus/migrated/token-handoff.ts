// Corpus: a trace carried to another flow by a token, as a job queue would: the client puts getTraceInfo() on the
// job, the worker continues the trace with start(…, token); a job with a broken token starts a trace of its own.
import { context, ROOT_CONTEXT, propagation, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('tomograph');

/** The active span's W3C traceparent, as getTraceInfo() returned it (written by the global propagator: W3C by default). */
function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

interface Job {
  token?: string | undefined;
}

export function enqueue(job: Job): void {
  tracer.startActiveSpan('enqueue', {
    attributes: { 'service.name': 'queue client', 'tomograph.endpoint.address': '10.0.0.3', 'tomograph.endpoint.port': 0 },
  }, (span) => {
    job.token = activeTraceparent();
    span.end();
  });
}

export function work(job: Job): void {
  tracer.startActiveSpan('work', {
    attributes: { 'service.name': 'queue worker', 'tomograph.endpoint.address': '10.0.0.4', 'tomograph.endpoint.port': 0 },
  }, propagation.extract(context.active(), { traceparent: job.token }), (span) => {
    span.end();
  });
}

/** What the corpus test runs, each in a fresh context; the worker runs in a flow of its own. */
export const scenarios = [
  () => {
    const job: Job = {};
    enqueue(job);
    context.with(ROOT_CONTEXT, () => work(job));
  },
  () => work({ token: 'not a traceparent' }),
];
