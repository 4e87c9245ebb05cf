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
  /**
   * Ways of reaching the facade whose calls are not rewritten: re-exports, a require inside a function, a name passed
   * on.
   */
  readonly unread: readonly { position: number; reason: string }[];
}

function isFacadeName(name: string): name is FacadeName {
  return (FACADE_NAMES as readonly string[]).includes(name);
}

function isRequireOfPackage(ts: SourceView['ts'], node: TS.Expression | undefined): boolean {
  return (
    node !== undefined &&
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1 &&
    ts.isStringLiteral(node.arguments[0]!) &&
    node.arguments[0].text === PACKAGE
  );
}

/** Reads the module-level imports and requires of 'tomograph'. */
export function readFacadeImports(view: SourceView): FacadeImports {
  const { ts, file, checker } = view;
  const bindings: FacadeBinding[] = [];
  const namespaces = new Set<TS.Symbol>();
  const symbols = new Map<TS.Symbol, FacadeName>();
  let loader: TS.Statement | undefined;
  let style: 'esm' | 'cjs' = file.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s))
    ? 'esm'
    : 'cjs';
  const bind = (name: string, local: TS.Identifier, element: FacadeBinding['element']): void => {
    if (!isFacadeName(name)) return;
    bindings.push({ name, local, element });
    const symbol = checker.getSymbolAtLocation(local);
    if (symbol !== undefined) symbols.set(symbol, name);
  };
  for (const statement of file.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text === PACKAGE
    ) {
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
            const imported =
              element.propertyName !== undefined && ts.isIdentifier(element.propertyName)
                ? element.propertyName.text
                : element.name.text;
            bind(imported, element.name, element);
          }
        }
      }
    }
  }
  return { bindings, namespaces, loader, style, symbols, unread: unreadPlaces(view, symbols, namespaces) };
}

function isPackage(ts: SourceView['ts'], node: TS.Node | undefined): boolean {
  return node !== undefined && ts.isStringLiteralLike(node) && node.text === PACKAGE;
}

/**
 * The places that reach the facade where this file's rewrites cannot follow, each to be reported: a re-export (its
 * importers call the facade through this module), a require or import() not at module level, and a facade name
 * or module used as a value rather than called (exported, stored, passed on).
 */
function unreadPlaces(
  view: SourceView,
  symbols: ReadonlyMap<TS.Symbol, FacadeName>,
  namespaces: ReadonlySet<TS.Symbol>,
): { position: number; reason: string }[] {
  const { ts, file, checker } = view;
  const places: { position: number; reason: string }[] = [];
  const moduleLevelRequires = new Set<TS.Node>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (
        isRequireOfPackage(ts, declaration.initializer) &&
        (ts.isIdentifier(declaration.name) || ts.isObjectBindingPattern(declaration.name))
      )
        moduleLevelRequires.add(declaration.initializer!);
    }
  }
  const symbolOf = (node: TS.Identifier): TS.Symbol | undefined => {
    if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node)
      return checker.getShorthandAssignmentValueSymbol(node.parent);
    if (ts.isExportSpecifier(node.parent)) return checker.getExportSpecifierLocalTargetSymbol(node.parent);
    return checker.getSymbolAtLocation(node);
  };
  const visit = (node: TS.Node): void => {
    if (
      ts.isImportDeclaration(node) &&
      isPackage(ts, node.moduleSpecifier) &&
      node.importClause?.name !== undefined &&
      !node.importClause.isTypeOnly
    ) {
      places.push({
        position: node.importClause.name.getStart(),
        reason: `a default import of tomograph (${node.importClause.name.text}), which has no default export: calls through it are not rewritten`,
      });
    }
    if (ts.isExportDeclaration(node) && isPackage(ts, node.moduleSpecifier)) {
      places.push({
        position: node.getStart(),
        reason:
          "re-exports tomograph: the files that call the facade through this module are not rewritten (they do not name 'tomograph'); migrate them by hand",
      });
      return;
    }
    if (ts.isCallExpression(node) && node.arguments.length >= 1 && isPackage(ts, node.arguments[0])) {
      const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (dynamic)
        places.push({
          position: node.getStart(),
          reason: "import('tomograph'): calls through the module it loads are not rewritten",
        });
      else if (required && !moduleLevelRequires.has(node))
        places.push({
          position: node.getStart(),
          reason: "require('tomograph') not in a module-level declaration: calls through it are not rewritten",
        });
    }
    if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      isPackage(ts, node.moduleReference.expression)
    ) {
      places.push({
        position: node.getStart(),
        reason: "import … = require('tomograph'): calls through it are not rewritten",
      });
    }
    if (ts.isIdentifier(node) && !isDeclarationName(ts, node)) {
      const symbol = symbolOf(node);
      const facadeName = symbol === undefined ? undefined : symbols.get(symbol);
      const namespace = symbol !== undefined && namespaces.has(symbol);
      if (facadeName !== undefined && !isCalled(ts, node)) {
        places.push({
          position: node.getStart(),
          reason: `${facadeName} used as a value (exported, stored or passed on): calls made through it are not rewritten`,
        });
      } else if (
        namespace &&
        !(
          ts.isPropertyAccessExpression(node.parent) &&
          node.parent.expression === node &&
          (!isFacadeName(node.parent.name.text) || isCalled(ts, node.parent))
        )
      ) {
        places.push({
          position: node.getStart(),
          reason: `the tomograph module ${node.text} used as a value (exported, stored or passed on): calls made through it are not rewritten`,
        });
      }
    }
    node.forEachChild(visit);
  };
  file.statements.forEach(visit);
  return places;
}

/** Whether `node` is the name a declaration binds (an import specifier, a binding element), not a use. */
function isDeclarationName(ts: SourceView['ts'], node: TS.Identifier): boolean {
  const parent = node.parent;
  return (
    ((ts.isImportSpecifier(parent) ||
      ts.isImportClause(parent) ||
      ts.isNamespaceImport(parent) ||
      ts.isVariableDeclaration(parent) ||
      ts.isBindingElement(parent)) &&
      parent.name === node) ||
    (ts.isBindingElement(parent) && parent.propertyName === node) ||
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isExportSpecifier(parent) && parent.propertyName !== undefined && parent.name === node)
  );
}

/** Whether `node` is what a call calls (`start(…)`, `tg.start(…)`) or a decorator (`@traced(…)`). */
function isCalled(ts: SourceView['ts'], node: TS.Node): boolean {
  let callee = node;
  while (ts.isParenthesizedExpression(callee.parent)) callee = callee.parent;
  return (
    (ts.isCallExpression(callee.parent) && callee.parent.expression === callee) ||
    ts.isTypeQueryNode(callee.parent) ||
    ts.isQualifiedName(callee.parent)
  );
}

/** The facade function a call calls, or undefined when it is anything else. */
export function facadeCallee(
  view: SourceView,
  imports: FacadeImports,
  call: TS.CallExpression,
): FacadeName | undefined {
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
export function facadeStatement(
  view: SourceView,
  imports: FacadeImports,
  statement: TS.Node,
): { name: FacadeName; call: TS.CallExpression } | undefined {
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
