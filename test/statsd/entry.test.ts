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
    for (const match of text.matchAll(/from '(\.[^']+)'/g))
      visit(resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  };
  visit(join(SRC, entry));
  return [...seen].map((file) => relative(SRC, file)).sort();
}

describe('the statsd entry', () => {
  it('exports the same StatsdSpanExporter as the root entry', () => {
    expect(subpath.StatsdSpanExporter).toBe(root.StatsdSpanExporter);
  });

  it('reaches only the exporter, its processor and sampler, the shared span reader, diagnostics, the error type, the attribute names, the shutdown deadline, the SDK shapes and the OpenTelemetry internals it reads', () => {
    expect(importGraph('statsd.ts')).toEqual([
      'attributes.ts',
      'diagnostics/process-warning.ts',
      'diagnostics/reporter.ts',
      'errors.ts',
      'exporters/deadline.ts',
      'exporters/readable-span.ts',
      'exporters/statsd/exporter.ts',
      'exporters/statsd/index.ts',
      'exporters/statsd/metrics.ts',
      'exporters/statsd/name-budget.ts',
      'exporters/statsd/names.ts',
      'exporters/statsd/options.ts',
      'exporters/statsd/paced-queue.ts',
      'exporters/statsd/scheduler.ts',
      'exporters/statsd/selection.ts',
      'exporters/statsd/settling-resources.ts',
      'exporters/statsd/span-facts.ts',
      'exporters/statsd/span-processor.ts',
      'exporters/statsd/stats.ts',
      'exporters/statsd/transport/create-sink.ts',
      'exporters/statsd/transport/delivery.ts',
      'exporters/statsd/transport/dns-cache.ts',
      'exporters/statsd/transport/hot-shots-sink.ts',
      'exporters/statsd/transport/sink.ts',
      'exporters/statsd/transport/tcp-sink.ts',
      'exporters/statsd/transport/udp-sink.ts',
      'option-checks.ts',
      'otel-internals/index.ts',
      'sampling/always-record.ts',
      'sdk-line/types.ts',
      'statsd.ts',
    ]);
  });

  it('has one module alone that loads hot-shots', () => {
    const loaders = importGraph('statsd.ts').filter((file) =>
      /from 'hot-shots'/.test(readFileSync(join(SRC, file), 'utf8')),
    );
    expect(loaders).toEqual(['exporters/statsd/transport/hot-shots-sink.ts']);
  });
});
