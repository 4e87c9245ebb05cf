// Corpus: a request handler of the kind the legacy library traced. A server span with a tag, a nested database
// span around an await, a note with its own endpoint and duration, and an early return for a rejected request.
import { annotate, start, stop, tag } from 'tomograph';

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2));

export async function listServers(tenant: string, valid: boolean): Promise<number | null> {
  start('nova api', 'GET /servers', '10.0.0.1', 8774);
  tag('tenant', tenant);
  if (!valid) {
    annotate('rejected');
    stop('GET /servers');
    return null;
  }
  // The database call, as the SQLAlchemy listeners used to record it.
  start('nova db', 'select servers', '10.0.0.5', 5432);
  annotate('select * from servers');
  await pause();
  stop('select servers');
  annotate('servers listed', { serviceName: 'nova db', address: '10.0.0.5', port: 5432, duration: 2 });
  stop('GET /servers');
  return 3;
}

/** What the corpus test runs, each in a fresh context. */
export const scenarios = [() => listServers('demo', true), () => listServers('demo', false)];
