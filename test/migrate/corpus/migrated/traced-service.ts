// Corpus: traced() as a method decorator (service null: the class name) and as a wrapper around an async function
// that holds a start/stop pair and fails for a negative amount (traced records the exception, before and after).
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2));

export class Inventory {
  async count(kind: string): Promise<number> {
    return tracer.startActiveSpan('count items', {
      attributes: { 'service.name': this.constructor.name, 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
    }, async (span) => {
      try {
        span.addEvent(`counting ${kind}`);
        return await kind.length;
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }
}

export const restock = async (amount: number) => {
  return tracer.startActiveSpan('restock', {
    attributes: { 'service.name': 'inventory', 'tomograph.endpoint.address': '10.0.0.7', 'tomograph.endpoint.port': 6000 },
  }, async (span) => {
    try {
      await tracer.startActiveSpan('update stock', {
        attributes: { 'service.name': 'inventory db', 'tomograph.endpoint.address': '10.0.0.8', 'tomograph.endpoint.port': 5432 },
      }, async (span) => {
        span.addEvent('update');
        await pause();
        span.end();
      });
      if (amount < 0) throw new Error('negative amount');
      return await amount;
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
};

/** What the corpus test runs, each in a fresh context. */
export const scenarios = [
  () => new Inventory().count('bolts'),
  () => restock(3),
  () => restock(-1).catch(() => undefined),
];
