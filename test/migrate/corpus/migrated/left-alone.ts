// Corpus: what the codemod must leave as it is and report: a pair split across two functions and a span name
// computed at run time. Its notes still move to the active span, which is the same span.
import { start, stop } from 'tomograph';
import { trace } from '@opentelemetry/api';

export function open(): void {
  start('legacy svc', 'split');
}

export function close(): void {
  trace.getActiveSpan()?.addEvent('closing');
  stop('split');
}

export function dynamic(name: string): void {
  start('legacy svc', name, '10.0.0.9', 7);
  trace.getActiveSpan()?.addEvent('dynamic');
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
