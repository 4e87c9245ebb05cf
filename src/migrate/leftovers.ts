// Facade calls outside any rewritten pair: notes and tags become calls on the active span, as the facade makes
// them; getTraceInfo() becomes a module-level helper that asks the propagator; a stop left alone is reported.
import type * as TS from 'typescript';
import { facadeCallee, literalText, type FacadeImports } from './facade-calls.js';
import { noteCallText } from './notes.js';
import { NO_NEEDS, PROPAGATION_NAMES, takenAt, TRACEPARENT_HELPER, type Needs } from './otel-names.js';
import type { SourceView } from './parse.js';
import type { TextEdit } from './text-edits.js';

export interface Leftovers {
  readonly edits: readonly TextEdit[];
  /** What the edits use: `trace` for notes, the traceparent helper for getTraceInfo(). */
  readonly needs: Needs;
  readonly reports: readonly { position: number; reason: string }[];
}

const NOT_REWRITTEN: Readonly<Record<string, string>> = {
  stop: 'left as it is: its start is elsewhere or is not rewritten',
};

/** Rewrites the remaining annotate/tag calls and reports the remaining stop, traced and getTraceInfo calls. */
export function planLeftovers(view: SourceView, imports: FacadeImports): Leftovers {
  const { ts } = view;
  const edits: TextEdit[] = [];
  const needs: Needs = { ...NO_NEEDS };
  const reports: { position: number; reason: string }[] = [];
  // A stop whose start is still there is covered by the report on that start.
  const started = new Set<string>();
  let spansLeft = false;
  const collectStarts = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = facadeCallee(view, imports, node);
      if (callee === 'start' || callee === 'stop' || callee === 'traced') spansLeft = true;
      const name = callee === 'start' ? literalText(ts, node.arguments[1]) : undefined;
      if (name !== undefined) started.add(name);
    }
    node.forEachChild(collectStarts);
  };
  collectStarts(view.file);
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = facadeCallee(view, imports, node);
      // While the file keeps facade spans that were left, its notes stay as they are too: a place reported is
      // left whole, and the notes inside it belong to it.
      if ((name === 'annotate' || name === 'tag') && spansLeft) return;
      if (name === 'annotate' || name === 'tag') {
        const taken = takenAt(view, node, ['trace']);
        const rewritten =
          taken !== undefined
            ? { reason: `${name}(): the name 'trace' already means something else here` }
            : noteCallText(view, node, name, 'trace.getActiveSpan()?');
        if ('text' in rewritten) {
          edits.push({ start: node.getStart(), end: node.end, text: rewritten.text });
          needs.trace = true;
        } else reports.push({ position: node.getStart(), reason: rewritten.reason });
        return;
      }
      if (name === 'stop' && started.has(literalText(ts, node.arguments[0]) ?? '')) return;
      if (name === 'getTraceInfo') {
        const taken = takenAt(view, node, PROPAGATION_NAMES);
        if (taken !== undefined)
          reports.push({
            position: node.getStart(),
            reason: `getTraceInfo(): the name '${taken}' already means something else here`,
          });
        else if (node.arguments.length > 0)
          reports.push({ position: node.getStart(), reason: 'getTraceInfo() with arguments' });
        else {
          edits.push({ start: node.getStart(), end: node.end, text: `${TRACEPARENT_HELPER}()` });
          needs.traceparent = true;
        }
        return;
      }
      const reason = name === undefined ? undefined : NOT_REWRITTEN[name];
      if (reason !== undefined)
        reports.push({ position: node.getStart(), reason: name === 'stop' ? `${node.getText()} ${reason}` : reason });
    }
    node.forEachChild(visit);
  };
  visit(view.file);
  return { edits, reports, needs };
}
