// The codemod on one file's text, with no I/O: legacy facade calls in, OpenTelemetry API calls out, plus the list
// of what was left and why. Each rewrite is applied and the file parsed again before the next, so a later
// decision always sees the code as it now is; a result that does not parse is never returned.
import { readFacadeImports } from './facade-calls.js';
import { planImports, usedBindings } from './imports.js';
import { planLeftovers } from './leftovers.js';
import { mergeNeeds, NO_NEEDS, type Needs } from './otel-names.js';
import { planPairs, type PairOptions, type PairPlan } from './pair.js';
import { planTraced } from './traced.js';
import { lineOf, viewSource, type SourceView, type TypeScript } from './parse.js';
import { applyEdits, type TextEdit } from './text-edits.js';

/** Something the codemod left in place, at a 1-based line of the result. */
export interface Report {
  readonly line: number;
  readonly reason: string;
}

export type MigrateResult =
  | { readonly ok: true; readonly text: string; readonly changed: boolean; readonly reports: readonly Report[] }
  | { readonly ok: false; readonly error: string };

/**
 * Each round rewrites every pair and traced function it can at once; a pair that encloses another waits for the
 * next round. No code nests spans this deep; the bound only stops a loop if a round ever made no progress.
 */
const MAX_ROUNDS = 100;

type Rewrite = Extract<PairPlan, { ok: true }>;

/** The rewritable plans whose edits do not overlap one another, in order (a later overlapping one waits). */
function disjoint(plans: readonly PairPlan[]): Rewrite[] {
  const chosen: Rewrite[] = [];
  const taken: TextEdit[] = [];
  for (const plan of plans) {
    if (!plan.ok) continue;
    if (plan.edits.some((edit) => taken.some((other) => edit.start < other.end && other.start < edit.end))) continue;
    chosen.push(plan);
    taken.push(...plan.edits);
  }
  return chosen;
}

function reparse(ts: TypeScript, fileName: string, text: string, edits: readonly TextEdit[]): SourceView {
  const next = viewSource(ts, fileName, applyEdits(text, edits));
  // A rewrite that does not parse is a bug in the codemod; failing here keeps the file untouched.
  if ('error' in next)
    throw new Error(`the rewrite of ${fileName} does not parse (line ${next.error}); file left unchanged`);
  return next;
}

/** The written code uses `\n`; a file whose every line ends in `\r\n` gets its generated lines that way too. */
function keepLineEndings(before: string, after: string): string {
  if (!before.includes('\r\n') || /(?<!\r)\n/.test(before)) return after;
  return after.replace(/(?<!\r)\n/g, '\r\n');
}

/** How the rewrites are written; see {@link PairOptions}. */
export type MigrateOptions = PairOptions;

const DEFAULTS: MigrateOptions = { recordExceptions: false };

const BOM = '\uFEFF';

/**
 * Migrates the text of `fileName` (its extension picks TS or JS parsing). A text that does not contain the word
 * `tomograph` cannot load it and is not parsed at all: most files of a repository, and valid code the compiler
 * dislikes (sloppy-mode octal escapes, `obj?.#x`) is never reported. A byte-order mark is kept.
 */
export function migrateSource(
  ts: TypeScript,
  fileName: string,
  input: string,
  options: MigrateOptions = DEFAULTS,
): MigrateResult {
  if (!input.includes('tomograph')) return { ok: true, text: input, changed: false, reports: [] };
  const bom = input.startsWith(BOM) ? BOM : '';
  const text = input.slice(bom.length);
  const parsed = viewSource(ts, fileName, text);
  if ('error' in parsed) return { ok: false, error: `does not parse: line ${parsed.error}` };
  let view = parsed;
  const loads = readFacadeImports(view);
  if (loads.loader === undefined) {
    const reports = loads.unread.map((place) => ({ line: lineOf(view, place.position), reason: place.reason }));
    return { ok: true, text: input, changed: false, reports };
  }
  const wasUsed = usedBindings(view, loads);
  try {
    let needs: Needs = { ...NO_NEEDS };
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const imports = readFacadeImports(view);
      // Pairs first: a traced function whose body holds a pair is rewritten once the pair is, in a later round.
      const chosen = disjoint([...planPairs(view, imports, options), ...planTraced(view, imports)]);
      if (chosen.length === 0) break;
      for (const plan of chosen) needs = mergeNeeds(needs, plan.needs);
      view = reparse(
        ts,
        fileName,
        view.text,
        chosen.flatMap((plan) => plan.edits),
      );
    }
    const leftovers = planLeftovers(view, readFacadeImports(view));
    if (leftovers.edits.length > 0) {
      needs = mergeNeeds(needs, leftovers.needs);
      view = reparse(ts, fileName, view.text, leftovers.edits);
    }
    view = reparse(ts, fileName, view.text, planImports(view, readFacadeImports(view), needs, wasUsed));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  // What is left, at its line in the result.
  const imports = readFacadeImports(view);
  const reports: Report[] = [
    ...[...planPairs(view, imports, options), ...planTraced(view, imports)].flatMap((plan) =>
      plan.ok ? [] : [{ line: lineOf(view, plan.position), reason: plan.reason }],
    ),
    ...planLeftovers(view, imports).reports.map((report) => ({
      line: lineOf(view, report.position),
      reason: report.reason,
    })),
    ...imports.unread.map((place) => ({ line: lineOf(view, place.position), reason: place.reason })),
  ].sort((a, b) => a.line - b.line);
  const result = bom + keepLineEndings(text, view.text);
  return { ok: true, text: result, changed: result !== input, reports };
}
