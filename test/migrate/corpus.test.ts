// The proof that a rewrite changes nothing a dashboard sees: each corpus file, before and after tomograph-migrate,
// through the SDK 2.x and a real statsd daemon, gives the same statsd lines (timer values aside) and the same trace.
// The same runs on SDK 1.30 are in corpus-sdk1.test.ts.
import { OWN_LINE } from '../support/otel.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrateSource } from '../../src/migrate/migrate-source.js';
import { loadTypeScript, type TypeScript } from '../../src/migrate/parse.js';
import { CORPUS } from './corpus-cases.js';
import { expectSameRecordings } from './same-recordings.js';
import { useCorpusPipeline } from './corpus-run.js';

const ts = (await loadTypeScript()) as TypeScript;
const pipeline = useCorpusPipeline(OWN_LINE);
const corpusFile = (folder: string, file: string): string =>
  readFileSync(new URL(`./corpus/${folder}/${file}`, import.meta.url), 'utf8');

describe('the corpus', () => {
  for (const entry of CORPUS) {
    it(`${entry.file}: the committed rewrite is what the codemod makes, with the places it reports, and a second run changes nothing`, () => {
      const first = migrateSource(ts, entry.file, corpusFile('legacy', entry.file));
      if (!first.ok) throw new Error(first.error);
      expect(first.text).toBe(corpusFile('migrated', entry.file));
      expect(first.reports.map((report) => `${report.line}: ${report.reason}`)).toEqual(entry.left);
      const second = migrateSource(ts, entry.file, first.text);
      expect(second.ok && second.changed).toBe(false);
    });

    it(`${entry.file}: before and after the rewrite, the same statsd lines and the same trace (SDK 2.x)`, async () => {
      const legacy = await pipeline.record(entry.legacy);
      expect(legacy.spans).toEqual(expect.arrayContaining([...(entry.shows ?? [])]));
      expectSameRecordings(legacy, await pipeline.record(entry.migrated), entry.exceptions);
    });
  }
});
