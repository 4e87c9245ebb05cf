// The workloads the benchmarks compare, written once.
import { tomograph } from './built.js';

const { start, stop } = tomograph;

/** A nested facade pair: start/start/stop/stop. */
export function facadePair(): void {
  start('svc', 'outer');
  start('svc', 'inner');
  stop('inner');
  stop('outer');
}
