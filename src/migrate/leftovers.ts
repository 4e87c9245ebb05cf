// Facade calls outside any rewritten pair: notes and tags become calls on the active span, as the facade makes
// them; what the codemod does not rewrite (stop left alone, traced, getTraceInfo) is reported where it stands.
import type * as TS from 'typescript';
import { facadeCallee, literalText, type FacadeImports } from './facade-calls.js';
import { noteCallText } from './notes.js';
import { takenAt } from './otel-names.js';
import type { SourceView } from './parse.js';
import type { TextEdit } from './text-edits.js';

export interface Leftovers {
  readonly edits: readonly TextEdit[];
  readonly reports: readonly { position: number; reason: string }[];
}

const NOT_REWRITTEN: Readonly<Record<string, string>> = {
  stop: 'left as it is: its start is elsewhere or is not rewritten',
  getTraceInfo: 'getTraceInfo() is not rewritten: carry the context with propagation.inject / propagation.extract by hand',
};

/** Rewrites the remaining annotate/tag calls and reports the remaining stop, traced and getTraceInfo calls. */
export function planLeftovers(view: SourceView, imports: FacadeImports): Leftovers {
  const { ts } = view;
  const edits: TextEdit[] = [];
  const reports: { position: number; reason: string }[] = [];
  // A stop whose start is still there is covered by the report on that start.
  const started = new Set<string>();
  const collectStarts = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && facadeCallee(view, imports, node) === 'start') {
      const name = literalText(ts, node.arguments[1]);
      if (name !== undefined) started.add(name);
    }
    node.forEachChild(collectStarts);
  };
  collectStarts(view.file);
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = facadeCallee(view, imports, node);
      if (name === 'annotate' || name === 'tag') {
        const taken = takenAt(view, node, ['trace']);
        const rewritten = taken !== undefined ? { reason: `${name}(): the name 'trace' already means something else here` } : noteCallText(view, node, name, 'trace.getActiveSpan()?');
        if ('text' in rewritten) edits.push({ start: node.getStart(), end: node.end, text: rewritten.text });
        else reports.push({ position: node.getStart(), reason: rewritten.reason });
        return;
      }
      if (name === 'stop' && started.has(literalText(ts, node.arguments[0]) ?? '')) return;
      const reason = name === undefined ? undefined : NOT_REWRITTEN[name];
      if (reason !== undefined) reports.push({ position: node.getStart(), reason: name === 'stop' ? `${node.getText()} ${reason}` : reason });
    }
    node.forEachChild(visit);
  };
  visit(view.file);
  return { edits, reports };
}
