// 'tomograph/statsd' loads the exporter alone: its import graph reaches no facade, configure or context code.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as root from 'tomograph';
import * as subpath from 'tomograph/statsd';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Source files reachable from `entry` through relative imports. */
function importGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/from '(\.[^']+)'/g)) visit(resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  };
  visit(join(SRC, entry));
  return [...seen].map((file) => relative(SRC, file)).sort();
}

describe('the statsd entry', () => {
  it('exports the same StatsdSpanExporter as the root entry', () => {
    expect(subpath.StatsdSpanExporter).toBe(root.StatsdSpanExporter);
  });

  it('reaches only the exporter, the shared span reader, the error type, the attribute names, the shutdown deadline and the SDK shapes', () => {
    expect(importGraph('statsd.ts')).toEqual([
      'attributes.ts',
      'errors.ts',
      'exporters/deadline.ts',
      'exporters/readable-span.ts',
      'exporters/statsd/exporter.ts',
      'exporters/statsd/index.ts',
      'exporters/statsd/metrics.ts',
      'exporters/statsd/name-budget.ts',
      'exporters/statsd/names.ts',
      'exporters/statsd/options.ts',
      'exporters/statsd/problems.ts',
      'exporters/statsd/span-facts.ts',
      'option-checks.ts',
      'sdk-line/types.ts',
      'statsd.ts',
    ]);
  });
});
