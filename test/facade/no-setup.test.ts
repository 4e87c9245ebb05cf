// With no OpenTelemetry setup at all (no provider, no context manager), the facade does nothing harmful: calls
// nest among themselves, nothing throws, and diag says once why OTel-native code cannot see facade spans.
import { trace } from '@opentelemetry/api';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { annotate, getTraceInfo, start, stop, tag, traced } from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';

let diagnostics: DiagCapture;
beforeEach(() => {
  diagnostics = captureDiag();
});
afterEach(() => diagnostics.restore());

it('runs every call without a provider or a context manager, and warns once about the context manager', async () => {
  start('svc', 'outer');
  start('svc', 'inner');
  annotate('note');
  tag('k', 1);
  expect(getTraceInfo()).toBeUndefined();
  stop('inner');
  stop('outer');
  await traced('svc', 'wrapped')(async () => 1)();
  expect(trace.getActiveSpan()).toBeUndefined();
  expect(diagnostics.warnings('cannot make a span active without a callback')).toHaveLength(1);
  // Facade calls still nest: stopping in order reports nothing else.
  expect(diagnostics.warnings('stop(')).toEqual([]);
});

it('keeps its own stack when no context manager is registered: stop of a deeper name ends that one only', () => {
  start('svc', 'a');
  start('svc', 'b');
  stop('a');
  stop('a');
  expect(diagnostics.warnings("stop('a'): no open span has that name (innermost: 'b')")).toHaveLength(1);
  stop('b');
  expect(diagnostics.warnings("stop('b')")).toEqual([]);
});
