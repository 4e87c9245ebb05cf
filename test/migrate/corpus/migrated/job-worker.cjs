// Corpus (CommonJS): a job handler written with require(), a tag, notes (one with a duration) and an early return.
const { SpanStatusCode, trace } = require('@opentelemetry/api');

const tracer = trace.getTracer('tomograph');

function handle(job) {
  return tracer.startActiveSpan('job', {
    attributes: { 'service.name': 'cjs worker', 'tomograph.endpoint.address': '10.0.0.6', 'tomograph.endpoint.port': 7000 },
  }, (span) => {
    try {
      span.setAttribute('job.id', job.id);
      if (!job.valid) {
        span.addEvent('rejected');
        return false;
      }
      span.addEvent('done', { 'tomograph.note.duration_ms': 5 });
      return true;
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** What the CommonJS corpus test runs, one after the other. */
module.exports = { scenarios: [() => handle({ id: 1, valid: true }), () => handle({ id: 2, valid: false })] };
