// The names the rewritten code uses, and whether a file already binds them to something else. The codemod adds
// `trace` and `SpanStatusCode` from '@opentelemetry/api', `hostname` from 'node:os' and one module-level
// `tracer`; where one of these names already means something else, the call there is reported and left alone.
import type * as TS from 'typescript';
import type { SourceView } from './parse.js';

export const TRACER = 'tracer';
/** The tracer the rewritten code gets its spans from; the facade's tracer has the same name. */
export const TRACER_DECLARATION = `const ${TRACER} = trace.getTracer('tomograph');`;
export const API_MODULE = '@opentelemetry/api';

/** Which of the added names a rewrite uses. */
export interface Needs {
  trace: boolean;
  statusCode: boolean;
  hostname: boolean;
  tracer: boolean;
  /** `propagation` and `context` from the API (a token carried into or out of a span). */
  propagation: boolean;
  /** The module-level {@link TRACEPARENT_HELPER} function (what getTraceInfo() becomes). */
  traceparent: boolean;
}

export const NO_NEEDS: Readonly<Needs> = {
  trace: false,
  statusCode: false,
  hostname: false,
  tracer: false,
  propagation: false,
  traceparent: false,
};

export function mergeNeeds(a: Readonly<Needs>, b: Readonly<Needs>): Needs {
  const merged = { ...a };
  for (const key of Object.keys(b) as (keyof Needs)[]) merged[key] = a[key] || b[key];
  return merged;
}

/** What getTraceInfo() becomes: the active span's W3C traceparent, written by the global propagator. */
export const TRACEPARENT_HELPER = 'activeTraceparent';

/** The helper's declaration, typed in TypeScript files. */
export function traceparentHelper(typed: boolean): string {
  return [
    `/** The active span's W3C traceparent, as getTraceInfo() returned it (written by the global propagator: W3C by default). */`,
    `function ${TRACEPARENT_HELPER}()${typed ? ': string | undefined' : ''} {`,
    `  const carrier${typed ? ': Record<string, string>' : ''} = {};`,
    '  propagation.inject(context.active(), carrier);',
    '  return carrier.traceparent;',
    '}',
  ].join('\n');
}

function moduleOf(ts: SourceView['ts'], declaration: TS.Node): string | undefined {
  for (let node: TS.Node | undefined = declaration; node !== undefined; node = node.parent) {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) return node.moduleSpecifier.text;
    if (ts.isVariableDeclaration(node)) {
      const init = node.initializer;
      if (
        init !== undefined &&
        ts.isCallExpression(init) &&
        ts.isIdentifier(init.expression) &&
        init.expression.text === 'require' &&
        init.arguments[0] !== undefined &&
        ts.isStringLiteral(init.arguments[0])
      ) {
        return init.arguments[0].text;
      }
      return undefined;
    }
  }
  return undefined;
}

/** Whether `declaration` binds `name` the way the rewritten code means it. */
function isExpected(ts: SourceView['ts'], name: string, declaration: TS.Declaration): boolean {
  const imported =
    (ts.isImportSpecifier(declaration) || ts.isBindingElement(declaration)) &&
    (declaration.propertyName === undefined ||
      (ts.isIdentifier(declaration.propertyName) && declaration.propertyName.text === name));
  if (['trace', 'SpanStatusCode', 'propagation', 'context'].includes(name))
    return imported && moduleOf(ts, declaration) === API_MODULE;
  if (name === TRACEPARENT_HELPER)
    return (
      ts.isFunctionDeclaration(declaration) && declaration.parent !== undefined && ts.isSourceFile(declaration.parent)
    );
  if (name === 'hostname') return imported && ['node:os', 'os'].includes(moduleOf(ts, declaration) ?? '');
  return (
    ts.isVariableDeclaration(declaration) &&
    declaration.parent.parent.parent !== undefined &&
    ts.isSourceFile(declaration.parent.parent.parent) &&
    declaration.parent.parent.getText() === TRACER_DECLARATION
  );
}

/** Declarations that bind a name in a scope (not properties, whose names live on objects). */
function isBinding(ts: SourceView['ts'], node: TS.Node): boolean {
  return (
    ts.isVariableDeclaration(node) ||
    ts.isParameter(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isImportSpecifier(node) ||
    ts.isImportClause(node) ||
    ts.isNamespaceImport(node) ||
    ts.isBindingElement(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isImportEqualsDeclaration(node)
  );
}

/** The names every rewrite of a span uses. */
export const SPAN_REWRITE_NAMES = ['trace', 'SpanStatusCode', 'hostname', TRACER] as const;
/** The names a token carried into or out of a span adds. */
export const PROPAGATION_NAMES = ['propagation', 'context', TRACEPARENT_HELPER] as const;

/**
 * The first of `names` that already means something else where `location` is (a local variable, a parameter, a
 * module-level declaration of the file's own), if any. A declaration elsewhere in the file that does not reach
 * `location` does not matter: the added module-level name is shadowed there, and that code does not use it.
 */
export function takenAt(view: SourceView, location: TS.Node, names: readonly string[]): string | undefined {
  const { ts, checker } = view;
  const wanted = new Set(names);
  for (const symbol of checker.getSymbolsInScope(location, ts.SymbolFlags.Value | ts.SymbolFlags.Alias)) {
    if (!wanted.has(symbol.name)) continue;
    if (
      (symbol.declarations ?? []).some(
        (declaration) => isBinding(ts, declaration) && !isExpected(ts, symbol.name, declaration),
      )
    )
      return symbol.name;
  }
  return undefined;
}
