// traced(service, name, options)(fn) and @traced(service, name, options) → the function or method itself, its body
// inside tracer.startActiveSpan, which ends the span when the body returns, throws, or (async) settles.
//
// Only async function literals and methods are rewritten, and sync ones whose returned values' types say they are
// not promises (the facade waited for a promise): of any other this file cannot know. Inside an async
// body `return x` becomes `return await x`, so that the span ends when x settles, as the facade's did.
import type * as TS from 'typescript';
import { scanBody } from './body-scan.js';
import { facadeCallee, literalText, type FacadeImports } from './facade-calls.js';
import { noteCallText } from './notes.js';
import { SPAN_REWRITE_NAMES, takenAt } from './otel-names.js';
import type { PairPlan } from './pair.js';
import type { SourceView } from './parse.js';
import { spanAttributes, spanName, startActiveSpanText } from './span-callback.js';
import { editedRange, indentAt, indentUnit, type TextEdit } from './text-edits.js';
import { hasType } from './value-types.js';

type TracedFunction = TS.ArrowFunction | TS.FunctionExpression | TS.MethodDeclaration;

interface TracedSpec {
  /** The service's source text, or null: the class of `this` at run time (decorators only). */
  readonly service: string | null;
  readonly name: string;
  readonly address: TS.Expression | undefined;
  readonly port: TS.Expression | undefined;
}

function refuse(node: TS.Node, reason: string): PairPlan {
  return { ok: false, position: node.getStart(), reason };
}

function readSpec(view: SourceView, call: TS.CallExpression): TracedSpec | string {
  const { ts } = view;
  const [service, name, options, ...rest] = call.arguments;
  if (rest.length > 0 || call.arguments.some((arg) => ts.isSpreadElement(arg)))
    return 'traced() with arguments it does not know';
  const serviceText =
    service === undefined
      ? undefined
      : service.kind === ts.SyntaxKind.NullKeyword
        ? null
        : literalText(ts, service) === undefined
          ? undefined
          : service.getText();
  if (serviceText === undefined) return 'traced() with a computed service name';
  if (literalText(ts, name) === undefined) return 'traced() with a computed span name';
  let address: TS.Expression | undefined;
  let port: TS.Expression | undefined;
  if (options !== undefined) {
    if (!ts.isObjectLiteralExpression(options)) return 'traced() with options that are not an object literal';
    for (const property of options.properties) {
      const key = property.name !== undefined && ts.isIdentifier(property.name) ? property.name.text : undefined;
      const value = ts.isPropertyAssignment(property)
        ? property.initializer
        : ts.isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      if (key === 'address' && value !== undefined) address = value;
      else if (key === 'port' && value !== undefined) port = value;
      else return `traced() with an option it does not rewrite (${property.getText()})`;
    }
  }
  return { service: serviceText, name: name!.getText(), address, port };
}

function isAsync(view: SourceView, fn: TracedFunction): boolean {
  return (fn.modifiers ?? []).some((modifier) => modifier.kind === view.ts.SyntaxKind.AsyncKeyword);
}

/** `await <text>` for `expression` whose (possibly edited) source is `text`, parenthesised where needed. */
function awaited(view: SourceView, expression: TS.Expression, text = expression.getText()): string {
  const { ts } = view;
  // Nothing to wait for in an await or a literal.
  if (ts.isAwaitExpression(expression) || ts.isLiteralExpression(expression)) return text;
  const simple =
    ts.isIdentifier(expression) ||
    ts.isCallExpression(expression) ||
    ts.isPropertyAccessExpression(expression) ||
    ts.isNewExpression(expression) ||
    ts.isParenthesizedExpression(expression);
  return simple ? `await ${text}` : `await (${text})`;
}

/** The edit that puts `fn`'s body inside a span, or why it cannot. */
function rewriteBody(
  view: SourceView,
  imports: FacadeImports,
  fn: TracedFunction,
  spec: TracedSpec,
): { edit: TextEdit; hostname: boolean } | string {
  const { ts, text: source } = view;
  if (fn.asteriskToken !== undefined) return 'traced() on a generator function';
  const body = fn.body;
  if (body === undefined) return 'traced() on a method without a body';
  const async = isAsync(view, fn);
  const statements: readonly TS.Node[] = ts.isBlock(body) ? body.statements : [body];
  const facts = scanBody(view, imports, statements);
  // A sync function's value is handed back as it is; the facade waited for it when it was a promise, so only values
  // whose types say they are not (a string, number, boolean, nothing) are rewritten.
  const values = ts.isBlock(body)
    ? facts.returns.flatMap((exit) => (exit.expression === undefined ? [] : [exit.expression]))
    : [body];
  if (!async && values.some((value) => !hasType(view, value as TS.Expression, 'primitive', true))) {
    return 'traced() on a function that is not async and returns a value that may be a promise (which the facade waited for); rewrite by hand';
  }
  if (facts.starts.length > 0 || facts.stops.length > 0)
    return 'traced() on a function that starts or stops spans the codemod did not rewrite';
  const taken = takenAt(view, fn, SPAN_REWRITE_NAMES);
  if (taken !== undefined) return `traced(): the name '${taken}' already means something else here`;
  const span = spanName(view, statements, body.pos, body.end);
  if (span === undefined) return 'traced(): the span parameter names are all taken in its body';

  const edits: TextEdit[] = [];
  for (const note of facts.notes) {
    const rewritten = noteCallText(view, note.call, note.kind, note.nested ? 'trace.getActiveSpan()?' : span);
    if ('text' in rewritten) edits.push({ start: note.call.getStart(), end: note.call.end, text: rewritten.text });
  }
  if (async) {
    for (const exit of facts.returns) {
      if (exit.expression !== undefined)
        edits.push({
          start: exit.expression.getStart(),
          end: exit.expression.end,
          text: awaited(view, exit.expression),
        });
    }
  }
  const unit = indentUnit(source);
  const indent = indentAt(source, ts.isBlock(body) ? body.getStart() : fn.getStart());
  const deeper = indent + unit;
  const isStatic =
    ts.isMethodDeclaration(fn) &&
    (fn.modifiers ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword);
  const service = spec.service ?? (isStatic ? 'this.name' : 'this.constructor.name');
  const attributes = spanAttributes(view, service, spec.address, spec.port);
  const parts = { unit, name: spec.name, attributes: attributes.text, async, span, trailing: '' };

  if (!ts.isBlock(body)) {
    const value = editedRange(source, body.getStart(), body.end, edits);
    const inner = `${deeper}${unit}return ${async ? awaited(view, body, value) : value};\n`;
    const call = startActiveSpanText({ ...parts, indent, prefix: '', body: inner, end: '' });
    return {
      edit: { start: body.getStart(), end: body.end, text: call.slice(indent.length) },
      hostname: attributes.hostname,
    };
  }
  const first = body.statements[0];
  const last = body.statements.at(-1);
  let inner = '';
  if (first !== undefined && last !== undefined) {
    const text = editedRange(source, first.getFullStart(), last.end, edits).replace(/^[ \t]*\n/, '');
    const lines = text.split('\n');
    // Statements on their own lines move two levels right; a one-line body gets its own line.
    // A multi-line template or string must keep its lines as they are: then nothing moves.
    const frozen = facts.multilineTemplate;
    inner =
      source.lastIndexOf('\n', first.getStart()) > body.getStart()
        ? `${frozen ? text : lines.map((line) => (line.trim() === '' ? '' : unit + unit + line)).join('\n')}\n`
        : `${deeper}${unit}${unit}${text.trim()}\n`;
  }
  const call = startActiveSpanText({ ...parts, indent: deeper, prefix: 'return ', body: inner });
  return {
    edit: { start: body.getStart(), end: body.end, text: `{\n${call}\n${indent}}` },
    hostname: attributes.hostname,
  };
}

function plan(
  view: SourceView,
  imports: FacadeImports,
  site: TS.Node,
  call: TS.CallExpression,
  fn: TracedFunction,
  unwrap: TextEdit[],
): PairPlan {
  const spec = readSpec(view, call);
  if (typeof spec === 'string') return refuse(site, spec);
  if (spec.service === null && !view.ts.isMethodDeclaration(fn))
    return refuse(site, 'traced(null, …)(fn): the service is the class of `this` at run time; rewrite by hand');
  const rewritten = rewriteBody(view, imports, fn, spec);
  if (typeof rewritten === 'string') return refuse(site, rewritten);
  return {
    ok: true,
    needs: {
      trace: true,
      tracer: true,
      statusCode: true,
      hostname: rewritten.hostname,
      propagation: false,
      traceparent: false,
    },
    edits: [...unwrap, rewritten.edit],
  };
}

/** The range of a decorator with the blank it leaves: its whole line when it stands alone. */
function decoratorRange(source: string, decorator: TS.Decorator): TextEdit {
  let end = decorator.end;
  while (source[end] === ' ' || source[end] === '\t') end += 1;
  const lineStart = source.lastIndexOf('\n', decorator.getStart() - 1) + 1;
  if (source[end] === '\n' && source.slice(lineStart, decorator.getStart()).trim() === '')
    return { start: lineStart, end: end + 1, text: '' };
  return { start: decorator.getStart(), end, text: '' };
}

/** Whether a function literal can replace `node` without parentheses (`traced(…)(fn)()` needs them). */
function standsAlone(view: SourceView, node: TS.Expression): boolean {
  const { ts } = view;
  const parent = node.parent;
  return (
    ts.isVariableDeclaration(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isReturnStatement(parent) ||
    ts.isArrayLiteralExpression(parent) ||
    ts.isExportAssignment(parent) ||
    ts.isParenthesizedExpression(parent) ||
    (ts.isCallExpression(parent) && parent.expression !== node) ||
    (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node)
  );
}

/** Every traced() wrapper and decorator of the file, each with its plan. */
export function planTraced(view: SourceView, imports: FacadeImports): PairPlan[] {
  const { ts, text: source } = view;
  const plans: PairPlan[] = [];
  const visit = (node: TS.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isCallExpression(node.expression) &&
      facadeCallee(view, imports, node.expression) === 'traced'
    ) {
      const fn = node.arguments[0];
      if (node.arguments.length !== 1 || fn === undefined || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
        plans.push(
          refuse(
            node,
            'traced()(fn) around a function defined elsewhere: whether it returns a promise is not known here; rewrite by hand',
          ),
        );
      } else {
        const [open, close] = standsAlone(view, node) ? ['', ''] : ['(', ')'];
        plans.push(
          plan(view, imports, node, node.expression, fn, [
            { start: node.getStart(), end: fn.getStart(), text: open },
            { start: fn.end, end: node.end, text: close },
          ]),
        );
      }
    }
    if (
      ts.isDecorator(node) &&
      ts.isCallExpression(node.expression) &&
      facadeCallee(view, imports, node.expression) === 'traced'
    ) {
      const method = node.parent;
      const decorators = ts.canHaveDecorators(method) ? (ts.getDecorators(method) ?? []) : [];
      if (!ts.isMethodDeclaration(method)) plans.push(refuse(node, '@traced() on something other than a method'));
      // Only the decorator nearest the method wraps exactly its body; one above others wraps what they made.
      else if (decorators.at(-1) !== node)
        plans.push(refuse(node, '@traced() above other decorators: the span would wrap what they return'));
      else plans.push(plan(view, imports, node, node.expression, method, [decoratorRange(source, node)]));
    }
    node.forEachChild(visit);
  };
  visit(view.file);
  return plans;
}
