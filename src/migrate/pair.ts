// start/stop pairs → tracer.startActiveSpan(name, { attributes }, (span) => { …; span.end(); }), each stop becoming
// `span.end()` where it stood, so the span ends exactly where it did (and, as before, not at all when the code
// throws before its stop; `--record-exceptions` adds a catch that records the throw and ends it).
//
// A pair is rewritten only when moving the code between its ends into a callback cannot change what the code
// does: both ends in one statement list (the stop alone, or last in the `finally` of a try that follows), a literal
// name on both, arguments whose types say the facade recorded them unchanged, every early `return` preceded by
// `stop` and returning a value that runs no code (or inside that try), no break/continue, yield or super() leaving
// the callback, no declaration that must stay in its scope (export, enum, type), no timer or function made inside
// that may record after the stop, no other facade span opened inside that is not rewritten yet, and names
// declared inside and used outside handed back as the callback's result (a let only when no closure made inside
// uses it). Anything else is left as it is, with the reason.
import type * as TS from 'typescript';
import { scanBody, type BodyFacts } from './body-scan.js';
import { facadeCallee, facadeStatement, literalText, type FacadeImports } from './facade-calls.js';
import { noteCallText } from './notes.js';
import { pairCallText, SPAN_NAMES, spanAttributes, spanName } from './span-callback.js';
import type { Needs } from './otel-names.js';
import { PROPAGATION_NAMES, SPAN_REWRITE_NAMES, takenAt } from './otel-names.js';
import type { SourceView } from './parse.js';
import { editedRange, indentAt, indentUnit, type TextEdit } from './text-edits.js';
import { hasType } from './value-types.js';

/** A pair that can be rewritten (its edits and the names they use), or one that cannot, with the reason. */
export type PairPlan =
  | { readonly ok: true; readonly edits: readonly TextEdit[]; readonly needs: Needs }
  | { readonly ok: false; readonly position: number; readonly reason: string };

type StatementList = TS.SourceFile | TS.Block;

/**
 * How the rewrites are written: `recordExceptions` adds a catch that records a throw on the span (opt-in: the facade's
 * start/stop never did).
 */
export interface PairOptions {
  readonly recordExceptions: boolean;
}

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
  return (
    ts.isBlock(list) &&
    parent !== undefined &&
    (ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isArrowFunction(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent))
  );
}

function findEnd(
  view: SourceView,
  imports: FacadeImports,
  statements: readonly TS.Statement[],
  from: number,
  name: string,
): PairEnd | undefined {
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

/**
 * Whether evaluating `node` runs no code of the program's (no call, no await, no function made): it may run after the
 * span ends.
 */
export function runsNoCode(ts: SourceView['ts'], node: TS.Node): boolean {
  if (
    ts.isIdentifier(node) ||
    ts.isLiteralExpression(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    node.kind === ts.SyntaxKind.ThisKeyword ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword
  )
    return true;
  if (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isSatisfiesExpression(node)
  )
    return runsNoCode(ts, node.expression);
  if (ts.isPropertyAccessExpression(node)) return runsNoCode(ts, node.expression);
  if (ts.isElementAccessExpression(node))
    return runsNoCode(ts, node.expression) && runsNoCode(ts, node.argumentExpression);
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => runsNoCode(ts, span.expression));
  if (ts.isArrayLiteralExpression(node))
    return node.elements.every((element) => !ts.isSpreadElement(element) && runsNoCode(ts, element));
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.every(
      (property) =>
        ts.isShorthandPropertyAssignment(property) ||
        (ts.isPropertyAssignment(property) &&
          !ts.isComputedPropertyName(property.name) &&
          runsNoCode(ts, property.initializer)),
    );
  }
  if (ts.isPrefixUnaryExpression(node))
    return (
      node.operator !== ts.SyntaxKind.PlusPlusToken &&
      node.operator !== ts.SyntaxKind.MinusMinusToken &&
      runsNoCode(ts, node.operand)
    );
  if (ts.isTypeOfExpression(node) || ts.isVoidExpression(node)) return runsNoCode(ts, node.expression);
  if (ts.isConditionalExpression(node))
    return runsNoCode(ts, node.condition) && runsNoCode(ts, node.whenTrue) && runsNoCode(ts, node.whenFalse);
  if (ts.isBinaryExpression(node)) {
    const kind = node.operatorToken.kind;
    const assigns = kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
    return (
      !assigns &&
      kind !== ts.SyntaxKind.InKeyword &&
      kind !== ts.SyntaxKind.InstanceOfKeyword &&
      runsNoCode(ts, node.left) &&
      runsNoCode(ts, node.right)
    );
  }
  return false;
}

/** Why the body's own stops, returns and jumps make the pair unsafe to move, if they do. */
function bodyProblem(
  view: SourceView,
  imports: FacadeImports,
  facts: BodyFacts,
  name: string,
  end: PairEnd,
): string | undefined {
  const { ts } = view;
  const inner = facts.starts[0];
  if (inner !== undefined) return `start('${name}') encloses ${inner.getText()}, which is not rewritten`;
  if (facts.yields) return `a yield between start('${name}') and stop: a callback cannot yield`;
  if (facts.escapes.length > 0)
    return `a ${ts.isBreakStatement(facts.escapes[0]!) ? 'break' : 'continue'} between start('${name}') and stop jumps out of the span`;
  for (const { call, nested } of facts.stops) {
    if (call === end.stop.expression) continue;
    const stopped = literalText(ts, call.arguments[0]);
    if (stopped === undefined)
      return `stop(${call.arguments[0]?.getText() ?? ''}) with a computed name between start('${name}') and its stop`;
    if (stopped !== name) return `stop('${stopped}') between start('${name}') and its stop`;
    if (nested) return `stop('${name}') in a function defined between start and stop: the span is passed around`;
    if (within(call, end.tryStatement)) return `stop('${name}') inside the try whose finally stops it too`;
    const statement = call.parent;
    const next = ts.isExpressionStatement(statement) ? nextStatement(view, statement) : undefined;
    if (next === undefined || !ts.isReturnStatement(next))
      return `stop('${name}') not followed by return, before its last stop`;
  }
  for (const exit of facts.returns) {
    if (within(exit, end.tryStatement)) continue;
    const before = previousStatement(view, exit);
    const stop = before === undefined ? undefined : facadeStatement(view, imports, before);
    if (stop?.name !== 'stop')
      return `a return between start('${name}') and stop leaves the span open; a rewrite would end it`;
    if (exit.expression !== undefined && !runsNoCode(ts, exit.expression)) {
      return `stop('${name}'); return ${exit.expression.getText()}: the returned expression runs after the span ends, which a callback cannot do; rewrite by hand`;
    }
  }
  return undefined;
}

const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'nextTick']);
/** Methods that call the function they are given before they return. */
const CALLS_NOW = new Set([
  'forEach',
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'sort',
  'toSorted',
]);

function calleeName(ts: SourceView['ts'], call: TS.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** Whether `node` lies inside the operand of an `await` of the body (what it starts is settled before the stop). */
function awaitedInBody(ts: SourceView['ts'], node: TS.Node, bodyStart: number): boolean {
  for (
    let parent = node.parent as TS.Node | undefined;
    parent !== undefined && parent.pos >= bodyStart;
    parent = parent.parent
  ) {
    if (ts.isAwaitExpression(parent)) return true;
  }
  return false;
}

function isFunctionLiteral(ts: SourceView['ts'], node: TS.Node): node is TS.FunctionLikeDeclaration {
  return (
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isConstructorDeclaration(node)
  );
}

/**
 * Whether a function literal runs before the expression that makes it is done: an IIFE, or given to `map` and the like.
 */
function runsNow(ts: SourceView['ts'], fn: TS.Node): boolean {
  let node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  // A promise's executor runs inside `new Promise(…)`.
  if (ts.isNewExpression(parent)) return ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise';
  if (!ts.isCallExpression(parent)) return false;
  return parent.expression === node || CALLS_NOW.has(calleeName(ts, parent) ?? '');
}

/**
 * Why code between start and stop may record after the stop: a timer, or a function defined there that records
 * (a facade call, an OTel span) and may run later. The facade put such records on the span active before the
 * start; a callback's later code sees the ended span, which drops them.
 */
function laterProblem(
  view: SourceView,
  imports: FacadeImports,
  body: readonly TS.Node[],
  name: string,
): string | undefined {
  const { ts } = view;
  const bodyStart = body[0]?.pos ?? 0;
  let problem: string | undefined;
  const records = (fn: TS.Node): boolean => {
    let found = false;
    const visit = (node: TS.Node): void => {
      if (found) return;
      if (
        ts.isCallExpression(node) &&
        (facadeCallee(view, imports, node) !== undefined ||
          /^(?:startActiveSpan|startSpan|getActiveSpan)$/.test(calleeName(ts, node) ?? ''))
      )
        found = true;
      else node.forEachChild(visit);
    };
    visit(fn);
    return found;
  };
  const visit = (node: TS.Node): void => {
    if (problem !== undefined) return;
    if (ts.isCallExpression(node) && TIMERS.has(calleeName(ts, node) ?? '')) {
      const callback = node.arguments[0];
      if (callback === undefined || !ts.isIdentifier(callback) || !awaitedInBody(ts, node, bodyStart)) {
        problem = `${calleeName(ts, node)!}() between start('${name}') and stop: what it runs later the facade recorded on the span active before start, a rewrite on the ended span; rewrite by hand`;
        return;
      }
    }
    if (isFunctionLiteral(ts, node) && records(node) && !runsNow(ts, node) && !awaitedInBody(ts, node, bodyStart)) {
      problem = `a function defined between start('${name}') and stop records telemetry and may run after stop (the facade then recorded on the span active before start); rewrite by hand`;
      return;
    }
    node.forEachChild(visit);
  };
  body.forEach(visit);
  return problem;
}

/** Why a statement at the top of the body cannot move into a callback: what it declares must stay where it is. */
function declarationProblem(view: SourceView, body: readonly TS.Node[], name: string): string | undefined {
  const { ts } = view;
  for (const statement of body) {
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    if (
      modifiers.some(
        (modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword || modifier.kind === ts.SyntaxKind.DeclareKeyword,
      ) ||
      ts.isExportDeclaration(statement) ||
      ts.isExportAssignment(statement) ||
      ts.isImportDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isModuleDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement)
    ) {
      return `start('${name}') encloses a declaration that must stay where it is (${statement.getText().split('\n')[0]!.slice(0, 60)})`;
    }
  }
  let superCall = false;
  const visit = (node: TS.Node): void => {
    if (node.kind === ts.SyntaxKind.SuperKeyword && ts.isCallExpression(node.parent) && node.parent.expression === node)
      superCall = true;
    else if (!superCall && !ts.isClassLike(node)) node.forEachChild(visit);
  };
  body.forEach(visit);
  return superCall ? `super() between start('${name}') and stop: it cannot be called from a callback` : undefined;
}

/**
 * Names declared at the top of the body (or by `var` anywhere in it) and used anywhere outside it: a const or let is
 * handed back as the callback's result (declared again where the pair was); a var, function or class cannot be.
 */
function escapingNames(
  view: SourceView,
  body: readonly TS.Node[],
  movedReturn: TS.Node | undefined,
): { names: string[]; mutable: boolean } | { reason: string } {
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
    if (
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isClassExpression(node) ||
      ts.isMethodDeclaration(node)
    )
      return;
    if (ts.isVariableDeclarationList(node)) {
      const flags = node.flags;
      const kind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : 'other';
      if (kind === 'other' || top) for (const declaration of node.declarations) declare(declaration.name, kind);
    }
    node.forEachChild((child) =>
      visitVars(child, top && (ts.isVariableStatement(node) || ts.isVariableDeclarationList(node))),
    );
  };
  for (const statement of body) visitVars(statement, true);
  if (declared.size === 0) return { names: [], mutable: false };
  const first = body[0]!.pos;
  // A return moved into the callback with the body is inside it too.
  const last = movedReturn?.end ?? body.at(-1)!.end;
  const used = new Map<string, 'const' | 'let' | 'other'>();
  const symbolOf = (node: TS.Identifier): TS.Symbol | undefined =>
    ts.isShorthandPropertyAssignment(node.parent)
      ? checker.getShorthandAssignmentValueSymbol(node.parent)
      : checker.getSymbolAtLocation(node);
  // Every use outside the body, before it (a function called later) or after it.
  const outside = (node: TS.Node): void => {
    if (node.pos >= first && node.end <= last) return;
    const found = ts.isIdentifier(node) ? declared.get(symbolOf(node)!) : undefined;
    if (found !== undefined) used.set(found.name, found.kind);
    node.forEachChild(outside);
  };
  outside(view.file);
  const names = [...used.keys()];
  const other = names.find((n) => used.get(n) === 'other');
  if (other !== undefined)
    return { reason: `'${other}' is declared between start and stop (var, function or class) and used outside them` };
  // A let handed back is a copy: a closure made inside that writes it later would write the callback's own.
  const lets = new Set(names.filter((n) => used.get(n) === 'let'));
  let closed: string | undefined;
  const inFunctions = (node: TS.Node, nested: boolean): void => {
    if (closed !== undefined) return;
    if (nested && ts.isIdentifier(node) && lets.has(node.text) && declared.get(symbolOf(node)!)?.kind === 'let')
      closed = node.text;
    node.forEachChild((child) => inFunctions(child, nested || isFunctionLiteral(ts, node) || ts.isClassLike(node)));
  };
  body.forEach((statement) => inFunctions(statement, false));
  if (closed !== undefined)
    return {
      reason: `'${closed}' is declared with let between start and stop, used after, and used by a function made inside: handed back, its later writes would be lost`,
    };
  return { names, mutable: lets.size > 0 };
}

/** The text of `[start, end)` with the body's edits, every line after the first moved right by `extra`. */
function segment(
  source: string,
  start: number,
  end: number,
  edits: readonly TextEdit[],
  extra: string,
  frozen: boolean,
): string {
  const text = editedRange(source, start, end, edits);
  if (frozen) return text;
  return text
    .split('\n')
    .map((line, index) => (index === 0 ? line : line.trim() === '' ? line.trimEnd() : extra + line))
    .join('\n');
}

/**
 * A literal port that is not an integer from 0 to 65535 (a string, a fraction): the facade checked it at run time,
 * and written as it is the span would record something else.
 */
function isUncheckedPort(view: SourceView, port: TS.Expression): boolean {
  const { ts } = view;
  if (!ts.isLiteralExpression(port) && !ts.isPrefixUnaryExpression(port) && !ts.isNoSubstitutionTemplateLiteral(port))
    return false;
  const value = Number(port.getText());
  return !ts.isNumericLiteral(port) || !Number.isInteger(value) || value < 0 || value > 65535;
}

/** Why an argument of start() might be recorded otherwise by the rewrite than by the facade, which converted it. */
function argumentProblem(view: SourceView, name: string, args: readonly TS.Expression[]): string | undefined {
  const { ts } = view;
  const [service, , address, port] = args;
  const absent = (node: TS.Expression | undefined): boolean =>
    node === undefined ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(node) && node.text === 'undefined');
  if (!hasType(view, service!, 'string'))
    return `start('${name}'): the service ${service!.getText()} may not be a string (the facade recorded it as text); rewrite by hand`;
  if (!absent(address) && !hasType(view, address!, 'string', true))
    return `start('${name}'): the address ${address!.getText()} may not be a string (the facade recorded it as text); rewrite by hand`;
  if (absent(port)) return undefined;
  if (isUncheckedPort(view, port!))
    return `start('${name}'): port ${port!.getText()} is not an integer from 0 to 65535; the facade records such a port its own way; rewrite by hand`;
  if (!hasType(view, port!, 'number', true))
    return `start('${name}'): the port ${port!.getText()} may not be a number (a string port the facade records its own way); rewrite by hand`;
  return undefined;
}

/** Plans the rewrite of the pair that `start` at `index` of `list` opens. */
function planPair(
  view: SourceView,
  imports: FacadeImports,
  list: StatementList,
  index: number,
  call: TS.CallExpression,
  options: PairOptions,
): PairPlan {
  const { ts, text: source } = view;
  const startStatement = list.statements[index]!;
  const position = startStatement.getStart();
  const args = call.arguments;
  if (args.some((arg) => ts.isSpreadElement(arg))) return refuse(position, 'start() with spread arguments');
  const name = literalText(ts, args[1]);
  if (name === undefined || args[0] === undefined)
    return refuse(
      position,
      `start(${args.map((a) => a.getText()).join(', ')}) with a computed span name: its stop cannot be matched`,
    );
  if (args.length > 5) return refuse(position, `start('${name}') with more arguments than the facade reads`);
  const token =
    args[4] !== undefined &&
    !(ts.isIdentifier(args[4]) && args[4].text === 'undefined') &&
    args[4].kind !== ts.SyntaxKind.NullKeyword
      ? args[4]
      : undefined;
  const taken = takenAt(
    view,
    startStatement,
    token === undefined ? SPAN_REWRITE_NAMES : [...SPAN_REWRITE_NAMES, ...PROPAGATION_NAMES],
  );
  if (taken !== undefined)
    return refuse(position, `start('${name}'): the name '${taken}' already means something else here`);
  const argument = argumentProblem(view, name, args);
  if (argument !== undefined) return refuse(position, argument);
  const end = findEnd(view, imports, list.statements, index + 1, name);
  if (end === undefined)
    return refuse(
      position,
      `start('${name}') has no stop('${name}') in the same block (a pair split across blocks or functions)`,
    );

  const before = list.statements.slice(index + 1, end.index);
  const bodyNodes: TS.Statement[] = end.tryStatement === undefined ? before : [...before, end.tryStatement];
  const facts = scanBody(view, imports, bodyNodes);
  const problem =
    bodyProblem(view, imports, facts, name, end) ??
    declarationProblem(view, bodyNodes, name) ??
    laterProblem(view, imports, bodyNodes, name);
  if (problem !== undefined) return refuse(position, problem);

  const tail = list.statements.slice(end.index + 1);
  let movedReturn: TS.ReturnStatement | undefined;
  const exits = facts.returns.length > 0;
  if (exits) {
    if (tail.length === 1 && ts.isReturnStatement(tail[0]!)) movedReturn = tail[0];
    else if (tail.length > 0 || !isFunctionBody(ts, list))
      return refuse(position, `start('${name}') returns early from a block that more code follows`);
    if (movedReturn?.expression !== undefined && !runsNoCode(ts, movedReturn.expression)) {
      return refuse(
        position,
        `start('${name}') returns early and is followed by return ${movedReturn.expression.getText()}, which would then run inside the span; rewrite by hand`,
      );
    }
  }
  const escaping = escapingNames(view, bodyNodes, movedReturn);
  if ('reason' in escaping) return refuse(position, escaping.reason);
  if (exits && escaping.names.length > 0)
    return refuse(
      position,
      `'${escaping.names[0]}' is declared between start and stop, used after, and the span returns early`,
    );

  const bodyEnd = movedReturn?.end ?? (end.tryStatement ?? end.stop).end;
  const spanParam = spanName(view, bodyNodes, startStatement.end, bodyEnd);
  if (spanParam === undefined)
    return refuse(position, `the names ${SPAN_NAMES.join(', ')} are all taken where start('${name}') is`);

  const needs: Needs = {
    trace: false,
    tracer: true,
    statusCode: options.recordExceptions,
    hostname: false,
    propagation: token !== undefined,
    traceparent: false,
  };
  const edits: TextEdit[] = [];
  for (const note of facts.notes) {
    const target = note.nested ? 'trace.getActiveSpan()?' : spanParam;
    const rewritten = noteCallText(view, note.call, note.kind, target);
    // A note that cannot be rewritten stays a facade call: inside the callback it lands on the same active span,
    // recorded the facade's way.
    if (!('text' in rewritten)) continue;
    if (note.nested) needs.trace = true;
    edits.push({ start: note.call.getStart(), end: note.call.end, text: rewritten.text });
  }
  // Each stop becomes the span's end, where it was: what ran before and after it still does.
  for (const { call: stop } of facts.stops)
    edits.push({ start: stop.parent.getStart(), end: stop.parent.end, text: `${spanParam}.end();` });
  if (!facts.stops.some(({ call: stop }) => stop === end.stop.expression))
    edits.push({ start: end.stop.getStart(), end: end.stop.end, text: `${spanParam}.end();` });

  const indent = indentAt(source, position);
  const unit = indentUnit(source);
  const frozen = facts.multilineTemplate;
  const depth = options.recordExceptions ? unit + unit : unit;
  const body = segment(source, startStatement.end, bodyEnd, edits, depth, frozen);
  const result = escaping.names.length === 1 ? escaping.names[0]! : `{ ${escaping.names.join(', ')} }`;
  const handBack = escaping.names.length > 0 ? `return ${result};` : undefined;

  const attributes = spanAttributes(view, args[0]!.getText(), args[2], args[3]);
  needs.hostname = attributes.hostname;
  const awaiting = facts.awaits ? 'await ' : '';
  const prefix = exits
    ? `return ${awaiting}`
    : escaping.names.length > 0
      ? `${escaping.mutable ? 'let' : 'const'} ${result} = ${awaiting}`
      : awaiting;
  const replacement = pairCallText({
    indent,
    unit,
    prefix,
    name: args[1]!.getText(),
    attributes: attributes.text,
    // The token is a W3C traceparent: the facade parsed it itself; the global propagator reads it here (an invalid
    // one is ignored by both, and the active span stays the parent).
    context:
      token === undefined ? undefined : `propagation.extract(context.active(), { traceparent: ${token.getText()} })`,
    async: facts.awaits,
    span: spanParam,
    body,
    handBack,
    recordExceptions: options.recordExceptions,
  });
  // From the statement itself, not its line: a comment before it on the same line stays.
  return { ok: true, needs, edits: [{ start: position, end: bodyEnd, text: replacement.slice(indent.length) }] };
}

/** Every facade `start` statement of the file, each with its plan. */
export function planPairs(view: SourceView, imports: FacadeImports, options: PairOptions): PairPlan[] {
  const { ts } = view;
  const plans: PairPlan[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && facadeCallee(view, imports, node) === 'start') {
      const statement = node.parent;
      const list = statement.parent;
      if (
        ts.isExpressionStatement(statement) &&
        statement.expression === node &&
        (ts.isSourceFile(list) || ts.isBlock(list))
      ) {
        plans.push(planPair(view, imports, list, list.statements.indexOf(statement), node, options));
      } else {
        plans.push(
          refuse(
            node.getStart(),
            `${node.getText()} is not a statement of its own in a block (a switch case, an if without braces, an expression)`,
          ),
        );
      }
    }
    node.forEachChild(visit);
  };
  visit(view.file);
  return plans;
}
