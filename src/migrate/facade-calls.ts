// Which calls in a file are calls of tomograph's facade: names imported (or required) from 'tomograph', resolved
// through the checker so that a local function that happens to be called `start` is never taken for the facade's.
import type * as TS from 'typescript';
import type { SourceView } from './parse.js';

const FACADE_NAMES = ['start', 'stop', 'annotate', 'tag', 'traced', 'getTraceInfo'] as const;
export type FacadeName = (typeof FACADE_NAMES)[number];

const PACKAGE = 'tomograph';

/** Where a facade name is bound: an import specifier or a destructured `require`. */
export interface FacadeBinding {
  readonly name: FacadeName;
  readonly local: TS.Identifier;
  /** The specifier or binding element to remove once the name is no longer used. */
  readonly element: TS.ImportSpecifier | TS.BindingElement;
}

/** The file's facade bindings and how it loads tomograph. */
export interface FacadeImports {
  readonly bindings: readonly FacadeBinding[];
  /** Local names bound to the whole module (`import * as tg`, `const tg = require('tomograph')`). */
  readonly namespaces: ReadonlySet<TS.Symbol>;
  /** The statement that loads tomograph (the first one), where the OTel imports go after. */
  readonly loader: TS.Statement | undefined;
  readonly style: 'esm' | 'cjs';
  readonly symbols: ReadonlyMap<TS.Symbol, FacadeName>;
}

function isFacadeName(name: string): name is FacadeName {
  return (FACADE_NAMES as readonly string[]).includes(name);
}

function isRequireOfPackage(ts: SourceView['ts'], node: TS.Expression | undefined): boolean {
  return node !== undefined && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require'
    && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!) && node.arguments[0].text === PACKAGE;
}

/** Reads the module-level imports and requires of 'tomograph'. */
export function readFacadeImports(view: SourceView): FacadeImports {
  const { ts, file, checker } = view;
  const bindings: FacadeBinding[] = [];
  const namespaces = new Set<TS.Symbol>();
  const symbols = new Map<TS.Symbol, FacadeName>();
  let loader: TS.Statement | undefined;
  let style: 'esm' | 'cjs' = file.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) ? 'esm' : 'cjs';
  const bind = (name: string, local: TS.Identifier, element: FacadeBinding['element']): void => {
    if (!isFacadeName(name)) return;
    bindings.push({ name, local, element });
    const symbol = checker.getSymbolAtLocation(local);
    if (symbol !== undefined) symbols.set(symbol, name);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === PACKAGE) {
      loader ??= statement;
      style = 'esm';
      const clause = statement.importClause;
      if (clause === undefined || clause.isTypeOnly) continue;
      const named = clause.namedBindings;
      if (named !== undefined && ts.isNamespaceImport(named)) {
        const symbol = checker.getSymbolAtLocation(named.name);
        if (symbol !== undefined) namespaces.add(symbol);
      } else if (named !== undefined) {
        for (const element of named.elements) {
          if (!element.isTypeOnly) bind((element.propertyName ?? element.name).text, element.name, element);
        }
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!isRequireOfPackage(ts, declaration.initializer)) continue;
        loader ??= statement;
        if (ts.isIdentifier(declaration.name)) {
          const symbol = checker.getSymbolAtLocation(declaration.name);
          if (symbol !== undefined) namespaces.add(symbol);
        } else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (!ts.isIdentifier(element.name) || element.dotDotDotToken !== undefined) continue;
            const imported = element.propertyName !== undefined && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
            bind(imported, element.name, element);
          }
        }
      }
    }
  }
  return { bindings, namespaces, loader, style, symbols };
}

/** The facade function a call calls, or undefined when it is anything else. */
export function facadeCallee(view: SourceView, imports: FacadeImports, call: TS.CallExpression): FacadeName | undefined {
  const { ts, checker } = view;
  const callee = call.expression;
  if (ts.isIdentifier(callee)) {
    const symbol = checker.getSymbolAtLocation(callee);
    return symbol === undefined ? undefined : imports.symbols.get(symbol);
  }
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && isFacadeName(callee.name.text)) {
    const symbol = checker.getSymbolAtLocation(callee.expression);
    return symbol !== undefined && imports.namespaces.has(symbol) ? callee.name.text : undefined;
  }
  return undefined;
}

/** The facade call an expression statement makes, if it makes exactly one: `stop('x');`. */
export function facadeStatement(view: SourceView, imports: FacadeImports, statement: TS.Node): { name: FacadeName; call: TS.CallExpression } | undefined {
  const { ts } = view;
  if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) return undefined;
  const name = facadeCallee(view, imports, statement.expression);
  return name === undefined ? undefined : { name, call: statement.expression };
}

/** The value of a string literal (or a template without substitutions), else undefined. */
export function literalText(ts: SourceView['ts'], node: TS.Node | undefined): string | undefined {
  if (node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return undefined;
}
