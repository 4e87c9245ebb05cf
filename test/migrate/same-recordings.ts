// The comparison of a legacy run and its rewrite's run: line for line, span for span. The one difference allowed
// is `extra` exception notes, for a rewrite made with --record-exceptions: a start/stop span whose code threw then
// records the exception (status ERROR and an `exception` event, which the statsd exporter counts), where the
// facade's start/stop recorded none. The committed corpus is migrated without it, so `extra` is 0 there.
import { expect } from 'vitest';
import type { Recording } from './corpus-run.js';

const EXCEPTION_LINE = /\.exception:1\|c$/;
const ERROR_STATUS = / status=2$/;

const exceptionLines = (recording: Recording): string[] => recording.lines.filter((line) => EXCEPTION_LINE.test(line));
const withoutExceptionLines = (recording: Recording): string[] =>
  recording.lines.filter((line) => !EXCEPTION_LINE.test(line));
const withoutExceptions = (recording: Recording): string[] =>
  recording.spans.map((span) =>
    span
      .replace(
        /\[([^\]]*)\]/,
        (_, notes: string) =>
          `[${notes
            .split(', ')
            .filter((note) => note !== 'exception')
            .join(', ')}]`,
      )
      .replace(ERROR_STATUS, ' status=0'),
  );
const errors = (recording: Recording): number => recording.spans.filter((span) => ERROR_STATUS.test(span)).length;

export function expectSameRecordings(legacy: Recording, migrated: Recording, extra: number): void {
  expect(legacy.lines.length).toBeGreaterThan(0);
  expect(exceptionLines(migrated)).toHaveLength(exceptionLines(legacy).length + extra);
  expect(withoutExceptionLines(migrated)).toEqual(withoutExceptionLines(legacy));
  expect(errors(migrated)).toBe(errors(legacy) + extra);
  expect(withoutExceptions(migrated)).toEqual(withoutExceptions(legacy));
}
