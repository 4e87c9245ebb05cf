// start/stop pairs → tracer.startActiveSpan(name, { attributes }, (span) => { try … finally { span.end() } }).
//
// A pair is rewritten only when moving the code between its ends into a callback cannot change what the code
// does: both ends in one statement list (the stop alone, or last in the `finally` of a try that follows), a literal
// name on both, every early `return` preceded by `stop` (or inside that try), no break/continue or yield leaving
// the callback, no other facade span opened inside that is not rewritten yet, and names declared inside and used
// after handed back as the callback's result. Anything else is left as it is, with the reason.
import type * as TS from 'typescript';
import { scanBody, type BodyFacts } from './body-scan.js';
import { facadeCallee, facadeStatement, literalText, type FacadeImports } from './facade-calls.js';
import { noteCallText } from './notes.js';
import { SPAN_NAMES, spanAttributes, spanName, startActiveSpanText } from './span-callback.js';
import type { Needs } from './otel-names.js';
import { PROPAGATION_NAMES, SPAN_REWRITE_NAMES, takenAt } from './otel-names.js';
import type { SourceView } from './parse.js';
import { editedRange, indentAt, indentUnit, statementLines, type TextEdit } from './text-edits.js';

/** A pair that can be rewritten (its edits and the names they use), or one that cannot, with the reason. */
export type PairPlan =
  | { readonly ok: true; readonly edits: readonly TextEdit[]; readonly needs: Needs }
  | { readonly ok: false; readonly position: number; readonly reason: string };

type StatementList = TS.SourceFile | TS.Block;

/** How the pair ends: a `stop` statement, or a `try` whose `finally` ends with the `stop`. */
interface PairEnd {
  readonly index: number;
  readonly stop: TS.ExpressionStatement;
  readonly tryStatement: TS.TryStatement | undefined;
}

function refuse(position: number, reason: string): PairPlan {
  return { ok: false, position, reason };
}

function isFunctionBody(ts: SourceView['ts'], list: StatementList): boolean {
  const parent = list.parent as TS.Node | undefined;
  return ts.isBlock(list) && parent !== undefined && (ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent)
    || ts.isArrowFunction(parent) || ts.isMethodDeclaration(parent) || ts.isGetAccessorDeclaration(parent) || ts.isSetAccessorDeclaration(parent));
}

function findEnd(view: SourceView, imports: FacadeImports, statements: readonly TS.Statement[], from: number, name: string): PairEnd | undefined {
  const { ts } = view;
  const isStopOf = (node: TS.Node | undefined): node is TS.ExpressionStatement => {
    const call = node === undefined ? undefined : facadeStatement(view, imports, node);
    return call?.name === 'stop' && literalText(ts, call.call.arguments[0]) === name;
  };
  for (let index = from; index < statements.length; index += 1) {
    const statement = statements[index]!;
    if (isStopOf(statement)) return { index, stop: statement, tryStatement: undefined };
    if (ts.isTryStatement(statement) && statement.finallyBlock !== undefined) {
      const last = statement.finallyBlock.statements.at(-1);
      if (isStopOf(last)) return { index, stop: last, tryStatement: statement };
    }
  }
  return undefined;
}

/** The statement right after `node` in its statement list. */
function nextStatement(view: SourceView, node: TS.Statement): TS.Statement | undefined {
  const list = node.parent;
  if (!view.ts.isBlock(list) && !view.ts.isSourceFile(list)) return undefined;
  return list.statements[list.statements.indexOf(node) + 1];
}

function previousStatement(view: SourceView, node: TS.Statement): TS.Statement | undefined {
  const list = node.parent;
  if (!view.ts.isBlock(list) && !view.ts.isSourceFile(list)) return undefined;
  const index = list.statements.indexOf(node);
  return index > 0 ? list.statements[index - 1] : undefined;
}

function within(node: TS.Node, outer: TS.Node | undefined): boolean {
  return outer !== undefined && node.pos >= outer.pos && node.end <= outer.end;
}

/** Why the body's own stops, returns and jumps make the pair unsafe to move, if they do. */
function bodyProblem(view: SourceView, imports: FacadeImports, facts: BodyFacts, name: string, end: PairEnd): string | undefined {
  const { ts } = view;
  const inner = facts.starts[0];
  if (inner !== undefined) return `start('${name}') encloses ${inner.getText()}, which is not rewritten`;
  if (facts.yields) return `a yield between start('${name}') and stop: a callback cannot yield`;
  if (facts.escapes.length > 0) return `a ${ts.isBreakStatement(facts.escapes[0]!) ? 'break' : 'continue'} between start('${name}') and stop jumps out of the span`;
  for (const { call, nested } of facts.stops) {
    if (call === end.stop.expression) continue;
    const stopped = literalText(ts, call.arguments[0]);
    if (stopped === undefined) return `stop(${call.arguments[0]?.getText() ?? ''}) with a computed name between start('${name}') and its stop`;
    if (stopped !== name) return `stop('${stopped}') between start('${name}') and its stop`;
    if (nested) return `stop('${name}') in a function defined between start and stop: the span is passed around`;
    if (within(call, end.tryStatement)) return `stop('${name}') inside the try whose finally stops it too`;
    const statement = call.parent;
    const next = ts.isExpressionStatement(statement) ? nextStatement(view, statement) : undefined;
    if (next === undefined || !ts.isReturnStatement(next)) return `stop('${name}') not followed by return, before its last stop`;
  }
  for (const exit of facts.returns) {
    if (within(exit, end.tryStatement)) continue;
    const before = previousStatement(view, exit);
    const stop = before === undefined ? undefined : facadeStatement(view, imports, before);
    if (stop?.name !== 'stop') return `a return between start('${name}') and stop leaves the span open; a rewrite would end it`;
  }
  return undefined;
}

/** Names declared at the top of the body (or by `var` anywhere in it) and used after it (a var: outside it). */
function escapingNames(view: SourceView, body: readonly TS.Statement[], after: readonly TS.Statement[]): { names: string[]; mutable: boolean } | { reason: string } {
  const { ts, checker } = view;
  const declared = new Map<TS.Symbol, { name: string; kind: 'const' | 'let' | 'other' }>();
  const declare = (name: TS.BindingName, kind: 'const' | 'let' | 'other'): void => {
    if (ts.isIdentifier(name)) {
      const symbol = checker.getSymbolAtLocation(name);
      if (symbol !== undefined) declared.set(symbol, { name: name.text, kind });
      return;
    }
    for (const element of name.elements) if (!ts.isOmittedExpression(element)) declare(element.name, kind);
  };
  const visitVars = (node: TS.Node, top: boolean): void => {
    if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) {
      if (top && node.name !== undefined) declare(node.name, 'other');
      return;
    }
    if (ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isClassExpression(node) || ts.isMethodDeclaration(node)) return;
    if (ts.isVariableDeclarationList(node)) {
      const flags = node.flags;
      const kind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'other';
      if (kind === 'other' || top) for (const declaration of node.declarations) declare(declaration.name, kind);
    }
    node.forEachChild((child) => visitVars(child, top && (ts.isVariableStatement(node) || ts.isVariableDeclarationList(node))));
  };
  for (const statement of body) visitVars(statement, true);
  if (declared.size === 0) return { names: [], mutable: false };
  const used = new Map<string, 'const' | 'let' | 'other'>();
  const visitUses = (node: TS.Node): void => {
    if (ts.isIdentifier(node)) {
      const symbol = checker.getSymbolAtLocation(node);
      const found = symbol === undefined ? undefined : declared.get(symbol);
      if (found !== undefined) used.set(found.name, found.kind);
    }
    node.forEachChild(visitUses);
  };
  for (const statement of after) visitUses(statement);
  // A var, function or class is not block-scoped: a use anywhere outside the body counts, before or after it.
  const outside = (node: TS.Node): void => {
    if (node.pos >= body[0]!.pos && node.end <= body.at(-1)!.end) return;
    const symbol = ts.isIdentifier(node) ? checker.getSymbolAtLocation(node) : undefined;
    const found = symbol === undefined ? undefined : declared.get(symbol);
    if (found?.kind === 'other') used.set(found.name, found.kind);
    node.forEachChild(outside);
  };
  outside(view.file);
  const names = [...used.keys()];
  const other = names.find((n) => used.get(n) === 'other');
  if (other !== undefined) return { reason: `'${other}' is declared between start and stop (var, function or class) and used after` };
  return { names, mutable: names.some((n) => used.get(n) === 'let') };
}

function lineStart(source: string, position: number): number {
  return source.lastIndexOf('\n', position - 1) + 1;
}

function lineAfter(source: string, position: number): number {
  const next = source.indexOf('\n', position);
  return next === -1 ? source.length : next + 1;
}

/** The text of `[start, end)` with the body's edits, every line moved right by `extra`. */
function segment(source: string, start: number, end: number, edits: readonly TextEdit[], extra: string, frozen: boolean): string {
  const text = editedRange(source, start, end, edits);
  if (frozen) return text;
  return text.split('\n').map((line) => (line.trim() === '' ? line.trimEnd() : extra + line)).join('\n');
}

/**
 * A literal port start() ignored (not an integer from 0 to 65535): written as it is it would change the statsd name,
 * written as 0 the mistake would hide, so it is left for a person.
 */
function isIgnoredPort(view: SourceView, port: TS.Expression): boolean {
  const { ts } = view;
  if (!ts.isLiteralExpression(port) && !ts.isPrefixUnaryExpression(port)) return false;
  const value = Number(port.getText());
  return !ts.isNumericLiteral(port) || !Number.isInteger(value) || value < 0 || value > 65535;
}

/** Plans the rewrite of the pair that `start` at `index` of `list` opens. */
function planPair(view: SourceView, imports: FacadeImports, list: StatementList, index: number, call: TS.CallExpression): PairPlan {
  const { ts, text: source } = view;
  const startStatement = list.statements[index]!;
  const position = startStatement.getStart();
  const args = call.arguments;
  if (args.some((arg) => ts.isSpreadElement(arg))) return refuse(position, 'start() with spread arguments');
  const name = literalText(ts, args[1]);
  if (name === undefined || args[0] === undefined) return refuse(position, `start(${args.map((a) => a.getText()).join(', ')}) with a computed span name: its stop cannot be matched`);
  const token = args[4] !== undefined && !(ts.isIdentifier(args[4]) && args[4].text === 'undefined') && args[4].kind !== ts.SyntaxKind.NullKeyword ? args[4] : undefined;
  const taken = takenAt(view, startStatement, token === undefined ? SPAN_REWRITE_NAMES : [...SPAN_REWRITE_NAMES, ...PROPAGATION_NAMES]);
  if (taken !== undefined) return refuse(position, `start('${name}'): the name '${taken}' already means something else here`);
  const port = args[3];
  if (port !== undefined && isIgnoredPort(view, port)) {
    return refuse(position, `start('${name}'): port ${port.getText()} is not an integer from 0 to 65535, which the facade ignored (it recorded 0)`);
  }
  const end = findEnd(view, imports, list.statements, index + 1, name);
  if (end === undefined) return refuse(position, `start('${name}') has no stop('${name}') in the same block (a pair split across blocks or functions)`);

  const before = list.statements.slice(index + 1, end.tryStatement === undefined ? end.index : end.index);
  const bodyNodes: TS.Statement[] = end.tryStatement === undefined ? before : [...before, end.tryStatement];
  const facts = scanBody(view, imports, bodyNodes);
  const problem = bodyProblem(view, imports, facts, name, end);
  if (problem !== undefined) return refuse(position, problem);

  let tail = list.statements.slice(end.index + 1);
  let movedReturn: TS.ReturnStatement | undefined;
  const exits = facts.returns.length > 0;
  if (exits) {
    if (tail.length === 1 && ts.isReturnStatement(tail[0]!)) movedReturn = tail[0];
    else if (tail.length > 0 || !isFunctionBody(ts, list)) return refuse(position, `start('${name}') returns early from a block that more code follows`);
    tail = [];
  }
  const escaping = escapingNames(view, before, tail);
  if ('reason' in escaping) return refuse(position, escaping.reason);
  if (exits && escaping.names.length > 0) return refuse(position, `'${escaping.names[0]}' is declared between start and stop, used after, and the span returns early`);

  const bodyStart = lineAfter(source, startStatement.end);
  const bodyEnd = movedReturn?.end ?? (end.tryStatement ?? end.stop).end;
  const spanParam = spanName(view, bodyNodes, bodyStart, bodyEnd);
  if (spanParam === undefined) return refuse(position, `the names ${SPAN_NAMES.join(', ')} are all taken where start('${name}') is`);

  const needs: Needs = { trace: true, tracer: true, statusCode: true, hostname: false, propagation: token !== undefined, traceparent: false };
  const edits: TextEdit[] = [];
  for (const note of facts.notes) {
    const target = note.nested ? 'trace.getActiveSpan()?' : spanParam;
    const rewritten = noteCallText(view, note.call, note.kind, target);
    // A note that cannot be rewritten stays a facade call: inside the callback it lands on the same active span.
    if ('text' in rewritten) edits.push({ start: note.call.getStart(), end: note.call.end, text: rewritten.text });
  }
  for (const { call: stop } of facts.stops) {
    if (stop !== end.stop.expression) edits.push({ text: '', ...statementLines(source, stop.parent.getStart(), stop.parent.end) });
  }

  const indent = indentAt(source, position);
  const unit = indentUnit(source);
  const inner = indent + unit + unit;
  const frozen = facts.multilineTemplate;
  const pieces: string[] = [];
  const tryStatement = end.tryStatement;
  if (tryStatement === undefined) {
    pieces.push(segment(source, bodyStart, lineStart(source, end.stop.getStart()), edits, unit + unit, frozen));
  } else {
    const tryStart = lineStart(source, tryStatement.getStart());
    pieces.push(segment(source, bodyStart, tryStart, edits, unit + unit, frozen));
    const finallyBlock = tryStatement.finallyBlock!;
    const stopLines = statementLines(source, end.stop.getStart(), end.stop.end);
    if (finallyBlock.statements.length > 1) {
      // Other cleanup stays in the finally, before the span ends, as it ran before the stop.
      pieces.push(segment(source, tryStart, tryStatement.end, [...edits, { ...stopLines, text: '' }], unit + unit, frozen) + '\n');
    } else if (tryStatement.catchClause !== undefined) {
      pieces.push(segment(source, tryStart, tryStatement.end, [...edits, { start: tryStatement.catchClause.end, end: tryStatement.end, text: '' }], unit + unit, frozen) + '\n');
    } else if (before.length === 0) {
      // `start; try { … } finally { stop }`: the try block's statements become the callback's.
      const block = tryStatement.tryBlock;
      pieces.push(segment(source, lineAfter(source, block.getStart()), lineStart(source, block.end - 1), edits, unit, frozen));
    } else {
      const block = tryStatement.tryBlock;
      pieces.push(segment(source, tryStart, tryStatement.end, [...edits, { start: tryStatement.getStart(), end: block.getStart(), text: '' }, { start: block.end, end: tryStatement.end, text: '' }], unit + unit, frozen) + '\n');
    }
  }
  if (movedReturn !== undefined) pieces.push(segment(source, lineStart(source, movedReturn.getStart()), movedReturn.end, edits, unit + unit, frozen) + '\n');
  const result = escaping.names.length === 1 ? escaping.names[0]! : `{ ${escaping.names.join(', ')} }`;
  if (escaping.names.length > 0) pieces.push(`${inner}return ${result};\n`);

  const attributes = spanAttributes(view, args[0]!.getText(), args[2], args[3]);
  needs.hostname = attributes.hostname;
  const awaiting = facts.awaits ? 'await ' : '';
  const prefix = exits || movedReturn !== undefined
    ? `return ${awaiting}`
    : escaping.names.length > 0
      ? `${escaping.mutable ? 'let' : 'const'} ${result} = ${awaiting}`
      : awaiting;
  const replacement = startActiveSpanText({
    indent,
    unit,
    prefix,
    name: args[1]!.getText(),
    attributes: attributes.text,
    // The token is a W3C traceparent: the facade parsed it itself; the global propagator reads it here (an invalid
    // one is ignored by both, and the active span stays the parent).
    context: token === undefined ? undefined : `propagation.extract(context.active(), { traceparent: ${token.getText()} })`,
    async: facts.awaits,
    span: spanParam,
    trailing: source.slice(startStatement.end, bodyStart).trimEnd(),
    body: pieces.join(''),
  });
  const replaceEnd = movedReturn?.end ?? (tryStatement ?? end.stop).end;
  // From the statement itself, not its line: a comment before it on the same line stays.
  return { ok: true, needs, edits: [{ start: position, end: replaceEnd, text: replacement.slice(indent.length) }] };
}

/** Every facade `start` statement of the file, each with its plan. */
export function planPairs(view: SourceView, imports: FacadeImports): PairPlan[] {
  const { ts } = view;
  const plans: PairPlan[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && facadeCallee(view, imports, node) === 'start') {
      const statement = node.parent;
      const list = statement.parent;
      if (ts.isExpressionStatement(statement) && statement.expression === node && (ts.isSourceFile(list) || ts.isBlock(list))) {
        plans.push(planPair(view, imports, list, list.statements.indexOf(statement), node));
      } else {
        plans.push(refuse(node.getStart(), `${node.getText()} is not a statement of its own in a block (a switch case, an if without braces, an expression)`));
      }
    }
    node.forEachChild(visit);
  };
  visit(view.file);
  return plans;
}

