// Corpus: traced() as a method decorator (service null: the class name) and as a wrapper around an async function
// that holds a start/stop pair and fails for a negative amount (traced records the exception, before and after).
import { annotate, start, stop, traced } from 'tomograph';

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2));

export class Inventory {
  @traced(null, 'count items')
  async count(kind: string): Promise<number> {
    annotate(`counting ${kind}`);
    return kind.length;
  }
}

export const restock = traced('inventory', 'restock', { address: '10.0.0.7', port: 6000 })(async (amount: number) => {
  start('inventory db', 'update stock', '10.0.0.8', 5432);
  annotate('update');
  await pause();
  stop('update stock');
  if (amount < 0) throw new Error('negative amount');
  return amount;
});

/** What the corpus test runs, each in a fresh context. */
export const scenarios = [
  () => new Inventory().count('bolts'),
  () => restock(3),
  () => restock(-1).catch(() => undefined),
];
