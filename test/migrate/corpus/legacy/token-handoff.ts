// Corpus: a trace carried to another flow by a token, as a job queue would: the client puts getTraceInfo() on the
// job, the worker continues the trace with start(…, token); a job with a broken token starts a trace of its own.
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { getTraceInfo, start, stop } from 'tomograph';

interface Job {
  token?: string | undefined;
}

export function enqueue(job: Job): void {
  start('queue client', 'enqueue', '10.0.0.3', 0);
  job.token = getTraceInfo();
  stop('enqueue');
}

export function work(job: Job): void {
  start('queue worker', 'work', '10.0.0.4', 0, job.token);
  stop('work');
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
