// The --dry-run diff: hunks as `diff -u` writes them (three lines of context, changes close together in one hunk).
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/migrate/unified-diff.js';

const lines = (count: number, change: (line: string, index: number) => string | string[] = (line) => line): string =>
  `${Array.from({ length: count }, (_, i) => change(`line ${i + 1}`, i))
    .flat()
    .join('\n')}\n`;

const CASES: { behaviour: string; before: string; after: string; diff: string }[] = [
  { behaviour: 'equal texts give no diff', before: 'a\nb\n', after: 'a\nb\n', diff: '' },
  {
    behaviour: 'a changed line comes with three lines of context each side',
    before: lines(10),
    after: lines(10, (line, i) => (i === 4 ? 'changed' : line)),
    diff: '--- a/f.ts\n+++ b/f.ts\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+changed\n line 6\n line 7\n line 8\n',
  },
  {
    behaviour: 'a line added at the start and one removed at the end share a hunk',
    before: lines(5),
    after: lines(5, (line, i) => (i === 0 ? ['new 1', line] : i === 4 ? [] : line)),
    diff: '--- a/f.ts\n+++ b/f.ts\n@@ -1,5 +1,5 @@\n+new 1\n line 1\n line 2\n line 3\n line 4\n-line 5\n',
  },
  {
    behaviour: 'changes far apart make two hunks',
    before: lines(20),
    after: lines(20, (line, i) => (i === 1 || i === 17 ? `${line}!` : line)),
    diff:
      '--- a/f.ts\n+++ b/f.ts\n@@ -1,5 +1,5 @@\n line 1\n-line 2\n+line 2!\n line 3\n line 4\n line 5\n' +
      '@@ -15,6 +15,6 @@\n line 15\n line 16\n line 17\n-line 18\n+line 18!\n line 19\n line 20\n',
  },
  {
    behaviour: 'a last line with no newline after it is marked, on the side that lacks it',
    before: 'a\nb',
    after: 'a\nc\n',
    diff: '--- a/f.ts\n+++ b/f.ts\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n',
  },
  {
    behaviour: 'an unchanged last line with no newline is marked once, as context',
    before: 'x\nlast',
    after: 'y\nlast',
    diff: '--- a/f.ts\n+++ b/f.ts\n@@ -1,2 +1,2 @@\n-x\n+y\n last\n\\ No newline at end of file\n',
  },
];

describe('unifiedDiff', () => {
  for (const c of CASES) {
    it(c.behaviour, () => {
      expect(unifiedDiff('f.ts', c.before, c.after)).toBe(c.diff);
    });
  }
});
