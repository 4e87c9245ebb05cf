// The corpus: legacy files of this project and their rewrites by tomograph-migrate (committed, so `npm run
// typecheck` type-checks the rewritten code), with the places each rewrite must leave and report.
import * as legacyBatch from './corpus/legacy/batch-worker.js';
import * as legacyLeft from './corpus/legacy/left-alone.js';
import * as legacyHandler from './corpus/legacy/request-handler.js';
import * as legacyToken from './corpus/legacy/token-handoff.js';
import * as legacyTraced from './corpus/legacy/traced-service.js';
import * as migratedBatch from './corpus/migrated/batch-worker.js';
import * as migratedLeft from './corpus/migrated/left-alone.js';
import * as migratedHandler from './corpus/migrated/request-handler.js';
import * as migratedToken from './corpus/migrated/token-handoff.js';
import * as migratedTraced from './corpus/migrated/traced-service.js';
import type { Scenario } from './corpus-run.js';

export interface CorpusFile {
  readonly file: string;
  readonly legacy: readonly Scenario[];
  readonly migrated: readonly Scenario[];
  /**
   * start/stop spans whose code throws and whose rewrite records the exception (only with --record-exceptions: none
   * here).
   */
  readonly exceptions: number;
  readonly left: readonly string[];
  /** Spans the legacy run must show, so that the scenario proves what it says (e.g. a parent from a token). */
  readonly shows?: readonly string[];
}

export const CORPUS: readonly CorpusFile[] = [
  {
    file: 'request-handler.ts',
    legacy: legacyHandler.scenarios,
    migrated: migratedHandler.scenarios,
    exceptions: 0,
    left: [],
  },
  {
    file: 'batch-worker.ts',
    legacy: legacyBatch.scenarios,
    migrated: migratedBatch.scenarios,
    exceptions: 0,
    left: [],
  },
  // traced() recorded its exceptions already: the failing restock has its exception note before and after.
  {
    file: 'traced-service.ts',
    legacy: legacyTraced.scenarios,
    migrated: migratedTraced.scenarios,
    exceptions: 0,
    left: [],
  },
  {
    file: 'token-handoff.ts',
    legacy: legacyToken.scenarios,
    migrated: migratedToken.scenarios,
    exceptions: 0,
    left: [],
    shows: ['queue worker/work ← enqueue [] 10.0.0.4:0 status=0', 'queue worker/work ← (root) [] 10.0.0.4:0 status=0'],
  },
  {
    file: 'left-alone.ts',
    legacy: legacyLeft.scenarios,
    migrated: migratedLeft.scenarios,
    exceptions: 0,
    left: [
      "6: start('split') has no stop('split') in the same block (a pair split across blocks or functions)",
      "15: start('legacy svc', name, '10.0.0.9', 7) with a computed span name: its stop cannot be matched",
      '17: stop(name) left as it is: its start is elsewhere or is not rewritten',
    ],
  },
];
