// Corpus: a request handler of the kind the legacy library traced. A server span with a tag, a nested database
// span around an await, a note with its own endpoint and duration, and an early return for a rejected request.
import { trace } from '@opentelemetry/api';

const tracer = trace.getTracer('tomograph');

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2));

export async function listServers(tenant: string, valid: boolean): Promise<number | null> {
  return await tracer.startActiveSpan('GET /servers', {
    attributes: { 'service.name': 'nova api', 'tomograph.endpoint.address': '10.0.0.1', 'tomograph.endpoint.port': 8774 },
  }, async (span) => {
    span.setAttribute('tenant', tenant);
    if (!valid) {
      span.addEvent('rejected');
      span.end();
      return null;
    }
    // The database call, as the SQLAlchemy listeners used to record it.
    await tracer.startActiveSpan('select servers', {
      attributes: { 'service.name': 'nova db', 'tomograph.endpoint.address': '10.0.0.5', 'tomograph.endpoint.port': 5432 },
    }, async (span) => {
      span.addEvent('select * from servers');
      await pause();
      span.end();
    });
    span.addEvent('servers listed', { 'service.name': 'nova db', 'tomograph.endpoint.address': '10.0.0.5', 'tomograph.endpoint.port': 5432, 'tomograph.note.duration_ms': 2 });
    span.end();
    return 3;
  });
}

/** What the corpus test runs, each in a fresh context. */
export const scenarios = [() => listServers('demo', true), () => listServers('demo', false)];
