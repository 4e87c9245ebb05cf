// Corpus (CommonJS): a job handler written with require(), a tag, notes (one with a duration) and an early return.
const { tag } = require('tomograph');
const { trace } = require('@opentelemetry/api');

const tracer = trace.getTracer('tomograph');

function handle(job) {
  return tracer.startActiveSpan('job', {
    attributes: { 'service.name': 'cjs worker', 'tomograph.endpoint.address': '10.0.0.6', 'tomograph.endpoint.port': 7000 },
  }, (span) => {
    tag('job.id', job.id);
    if (!job.valid) {
      span.addEvent('rejected');
      span.end();
      return false;
    }
    span.addEvent('done', { 'tomograph.note.duration_ms': 5 });
    span.end();
    return true;
  });
}

/** What the CommonJS corpus test runs, one after the other. */
module.exports = { scenarios: [() => handle({ id: 1, valid: true }), () => handle({ id: 2, valid: false })] };
