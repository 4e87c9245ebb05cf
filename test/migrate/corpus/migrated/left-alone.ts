// Corpus: what the codemod must leave as it is and report: a pair split across two functions and a span name
// computed at run time. Its notes stay facade calls too: a place left is left whole.
import { annotate, start, stop } from 'tomograph';

export function open(): void {
  start('legacy svc', 'split');
}

export function close(): void {
  annotate('closing');
  stop('split');
}

export function dynamic(name: string): void {
  start('legacy svc', name, '10.0.0.9', 7);
  annotate('dynamic');
  stop(name);
}

/** What the corpus test runs, each in a fresh context. */
export const scenarios = [
  () => {
    open();
    close();
  },
  () => dynamic('computed'),
];
