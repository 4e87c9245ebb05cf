// Corpus: a synchronous worker. A span per item inside a batch span (host-name default address), try/finally
// pairs, notes made from a callback, a value computed inside the span and used after it, and a failing batch.
import { annotate, start, stop, tag } from 'tomograph';

function resize(image: string): number {
  start('image worker', 'resize');
  try {
    annotate(`resizing ${image}`);
    return image.length;
  } finally {
    stop('resize');
  }
}

export function processBatch(images: string[]): number {
  start('image worker', 'batch', undefined, 9000);
  tag('batch.size', images.length);
  images.forEach((image) => annotate(`queued ${image}`));
  let total = 0;
  for (const image of images) total += resize(image);
  const average = total / images.length;
  stop('batch');
  return average;
}

export function failingBatch(): void {
  start('image worker', 'failing batch');
  try {
    throw new Error('disk full');
  } finally {
    stop('failing batch');
  }
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
