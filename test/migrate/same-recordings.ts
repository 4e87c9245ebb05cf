// The comparison of a legacy run and its rewrite's run: line for line, span for span. The one difference allowed
// is the rewrite's `exception` note on a span whose code threw (the facade's start/stop recorded none).
import { expect } from 'vitest';
import type { Recording } from './corpus-run.js';

const EXCEPTION_LINE = /\.exception:1\|c$/;

export function expectSameRecordings(legacy: Recording, migrated: Recording, exceptions: number): void {
  expect(legacy.lines.length).toBeGreaterThan(0);
  expect(migrated.lines.filter((line) => EXCEPTION_LINE.test(line))).toHaveLength(exceptions);
  expect(migrated.lines.filter((line) => !EXCEPTION_LINE.test(line))).toEqual(legacy.lines);
  const withoutException = (span: string): string => span.replace(/\[([^\]]*)\]/, (_, notes: string) => `[${notes.split(', ').filter((n) => n !== 'exception').join(', ')}]`);
  const errors = migrated.spans.filter((span) => span.endsWith('status=2'));
  expect(errors).toHaveLength(exceptions);
  expect(migrated.spans.map((span) => withoutException(span).replace(/status=2$/, 'status=0'))).toEqual(legacy.spans);
}
