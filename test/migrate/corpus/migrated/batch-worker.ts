// Corpus: a synchronous worker. A span per item inside a batch span (host-name default address), try/finally
// pairs, notes made from a callback, a value computed inside the span and used after it, and a failing batch.
import { trace } from '@opentelemetry/api';
import { hostname } from 'node:os';

const tracer = trace.getTracer('tomograph');

function resize(image: string): number {
  return tracer.startActiveSpan('resize', {
    attributes: { 'service.name': 'image worker', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
  }, (span) => {
    try {
      span.addEvent(`resizing ${image}`);
      return image.length;
    } finally {
      span.end();
    }
  });
}

export function processBatch(images: string[]): number {
  const average = tracer.startActiveSpan('batch', {
    attributes: { 'service.name': 'image worker', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 9000 },
  }, (span) => {
    span.setAttribute('batch.size', images.length);
    images.forEach((image) => trace.getActiveSpan()?.addEvent(`queued ${image}`));
    let total = 0;
    for (const image of images) total += resize(image);
    const average = total / images.length;
    span.end();
    return average;
  });
  return average;
}

export function failingBatch(): void {
  tracer.startActiveSpan('failing batch', {
    attributes: { 'service.name': 'image worker', 'tomograph.endpoint.address': hostname(), 'tomograph.endpoint.port': 0 },
  }, (span) => {
    try {
      throw new Error('disk full');
    } finally {
      span.end();
    }
  });
}

/** What the corpus test runs, each in a fresh context. */
export const scenarios = [
  () => processBatch(['a.png', 'bb.png']),
  () => {
    try {
      failingBatch();
    } catch {
      // The caller handles the failure; the span is what the test compares.
    }
  },
];
