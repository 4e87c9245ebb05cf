// The corpus before and after tomograph-migrate on the OpenTelemetry SDK 1.30 line: the same statsd lines (timer
// values aside) and the same trace, through a real statsd daemon.
import { describe, expect, it } from 'vitest';
import { CORPUS } from './corpus-cases.js';
import { expectSameRecordings } from './same-recordings.js';
import { useCorpusPipeline } from './corpus-run.js';

const pipeline = useCorpusPipeline('1.x');

describe('the corpus on SDK 1.30', () => {
  for (const entry of CORPUS) {
    it(`${entry.file}: before and after the rewrite, the same statsd lines and the same trace (SDK 1.x)`, async () => {
      const legacy = await pipeline.record(entry.legacy);
      expect(legacy.spans).toEqual(expect.arrayContaining([...(entry.shows ?? [])]));
      expectSameRecordings(legacy, await pipeline.record(entry.migrated), entry.exceptions);
    });
  }
});
