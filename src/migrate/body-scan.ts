// What the code between a `start` and its `stop` does, as far as moving it into a callback is concerned: whether
// it awaits or yields, where it returns, which facade calls it makes, and whether a break or continue would jump
// out of it (a callback cannot do that).
import type * as TS from 'typescript';
import { facadeCallee, type FacadeImports } from './facade-calls.js';
import type { SourceView } from './parse.js';

/** A note or tag call in the body; `nested` when it runs inside a function defined in the body. */
export interface NoteCall {
  readonly call: TS.CallExpression;
  readonly kind: 'annotate' | 'tag';
  readonly nested: boolean;
}

export interface BodyFacts {
  readonly awaits: boolean;
  readonly yields: boolean;
  /** `return` statements that leave the enclosing function (not those of functions defined in the body). */
  readonly returns: readonly TS.ReturnStatement[];
  /** Every facade `stop(...)` call, with whether it runs in a function defined in the body. */
  readonly stops: readonly { call: TS.CallExpression; nested: boolean }[];
  /** Facade `start` calls: a span opened inside that is not rewritten yet. */
  readonly starts: readonly TS.CallExpression[];
  /** `break`/`continue` statements whose target lies outside the body. */
  readonly escapes: readonly TS.Node[];
  readonly notes: readonly NoteCall[];
  /** A template literal or string spanning lines (a line continuation): its text must not be re-indented. */
  readonly multilineTemplate: boolean;
}

function isFunctionLike(ts: SourceView['ts'], node: TS.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isClassExpression(node)
  );
}

function isLoop(ts: SourceView['ts'], node: TS.Node): boolean {
  return (
    ts.isForStatement(node) ||
    ts.isForInStatement(node) ||
    ts.isForOfStatement(node) ||
    ts.isWhileStatement(node) ||
    ts.isDoStatement(node)
  );
}

/** Scans the statements of a body. */
export function scanBody(view: SourceView, imports: FacadeImports, statements: readonly TS.Node[]): BodyFacts {
  const { ts } = view;
  const facts = {
    awaits: false,
    yields: false,
    returns: [] as TS.ReturnStatement[],
    stops: [] as { call: TS.CallExpression; nested: boolean }[],
    starts: [] as TS.CallExpression[],
    escapes: [] as TS.Node[],
    notes: [] as NoteCall[],
    multilineTemplate: false,
  };
  const visit = (
    node: TS.Node,
    nested: boolean,
    loops: number,
    switches: number,
    labels: ReadonlySet<string>,
  ): void => {
    if (isFunctionLike(ts, node)) {
      node.forEachChild((child) => visit(child, true, 0, 0, new Set()));
      return;
    }
    if (!nested) {
      if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined))
        facts.awaits = true;
      if (ts.isYieldExpression(node)) facts.yields = true;
      if (ts.isReturnStatement(node)) facts.returns.push(node);
      if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) {
        const inside =
          node.label !== undefined
            ? labels.has(node.label.text)
            : ts.isBreakStatement(node)
              ? loops + switches > 0
              : loops > 0;
        if (!inside) facts.escapes.push(node);
      }
    }
    const literal =
      ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node);
    if (literal && node.getText().includes('\n')) facts.multilineTemplate = true;
    if (ts.isCallExpression(node)) {
      const name = facadeCallee(view, imports, node);
      if (name === 'stop') facts.stops.push({ call: node, nested });
      else if (name === 'annotate' || name === 'tag') facts.notes.push({ call: node, kind: name, nested });
      else if (name === 'start') facts.starts.push(node);
    }
    const nextLabels = ts.isLabeledStatement(node) ? new Set([...labels, node.label.text]) : labels;
    const nextLoops = isLoop(ts, node) ? loops + 1 : loops;
    const nextSwitches = ts.isSwitchStatement(node) ? switches + 1 : switches;
    node.forEachChild((child) => visit(child, nested, nextLoops, nextSwitches, nextLabels));
  };
  for (const statement of statements) visit(statement, false, 0, 0, new Set());
  return facts;
}
