// The imports of a rewritten file: `trace` and `SpanStatusCode` from '@opentelemetry/api', `hostname` from
// 'node:os' where a span keeps the facade's host-name default, one module-level tracer, and the facade names the
// file no longer uses removed from its tomograph import (configure, the exporters and everything else stay).
import type * as TS from 'typescript';
import type { FacadeImports } from './facade-calls.js';
import { API_MODULE, TRACEPARENT_HELPER, TRACER_DECLARATION, traceparentHelper, type Needs } from './otel-names.js';
import type { SourceView } from './parse.js';
import { statementLines, type TextEdit } from './text-edits.js';

interface ModuleImport {
  readonly statement: TS.Statement;
  readonly names: ReadonlySet<string>;
  /** Where one more `, name` goes (after the last named element), for an ESM named import. */
  readonly appendAt: number | undefined;
}

/** The module-level named import (or destructured require) of `modules`, if the file has one. */
function findImport(view: SourceView, modules: readonly string[]): ModuleImport | undefined {
  const { ts, file } = view;
  for (const statement of file.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      modules.includes(statement.moduleSpecifier.text)
    ) {
      const named = statement.importClause?.namedBindings;
      if (statement.importClause?.isTypeOnly || named === undefined || !ts.isNamedImports(named)) continue;
      const values = named.elements.filter((element) => !element.isTypeOnly && element.propertyName === undefined);
      return {
        statement,
        names: new Set(values.map((element) => element.name.text)),
        appendAt: named.elements.at(-1)?.end,
      };
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        if (
          init !== undefined &&
          ts.isCallExpression(init) &&
          ts.isIdentifier(init.expression) &&
          init.expression.text === 'require' &&
          init.arguments[0] !== undefined &&
          ts.isStringLiteral(init.arguments[0]) &&
          modules.includes(init.arguments[0].text) &&
          ts.isObjectBindingPattern(declaration.name)
        ) {
          const names = declaration.name.elements
            .filter((e) => e.propertyName === undefined && ts.isIdentifier(e.name))
            .map((e) => (e.name as TS.Identifier).text);
          return { statement, names: new Set(names), appendAt: undefined };
        }
      }
    }
  }
  return undefined;
}

function hasTraceparentHelper(view: SourceView): boolean {
  return view.file.statements.some(
    (statement) => view.ts.isFunctionDeclaration(statement) && statement.name?.text === TRACEPARENT_HELPER,
  );
}

function hasTracer(view: SourceView): boolean {
  return view.file.statements.some((statement) => statement.getText() === TRACER_DECLARATION);
}

/**
 * How many times a binding's name is used, its own declaration aside: calls, and uses as a value too (`export {
 * start }`, `module.exports = { start }`, `[tag]`), where the checker names the property or the export, not the import.
 * Any identifier of that name whose symbol cannot be told apart counts: an import kept too long is harmless, one
 * removed while used breaks the module.
 */
function usesOf(view: SourceView, local: TS.Identifier): number {
  const { ts, checker } = view;
  const symbol = checker.getSymbolAtLocation(local);
  let count = 0;
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && node !== local && node.text === local.text) {
      const parent = node.parent;
      const property =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        (ts.isBindingElement(parent) && parent.propertyName === node);
      const found = ts.isShorthandPropertyAssignment(parent)
        ? checker.getShorthandAssignmentValueSymbol(parent)
        : ts.isExportSpecifier(parent)
          ? checker.getExportSpecifierLocalTargetSymbol(parent)
          : checker.getSymbolAtLocation(node);
      if (!property && (found === symbol || found === undefined || ts.isExportSpecifier(parent))) count += 1;
    }
    node.forEachChild(visit);
  };
  visit(view.file);
  return count;
}

/** The local names of the facade bindings the file uses (before the rewrite: only those may be dropped after it). */
export function usedBindings(view: SourceView, imports: FacadeImports): Set<string> {
  return new Set(
    imports.bindings.filter((binding) => usesOf(view, binding.local) > 0).map((binding) => binding.local.text),
  );
}

/**
 * Edits that drop the facade bindings the rewrite made unused (`wasUsed`: one the file never used stays, as it
 * was); a statement left with no binding goes whole.
 */
function dropUnused(
  view: SourceView,
  imports: FacadeImports,
  wasUsed: ReadonlySet<string>,
): { edits: TextEdit[]; removed: Set<TS.Statement> } {
  const { ts, text } = view;
  const unused = new Set(
    imports.bindings
      .filter((binding) => wasUsed.has(binding.local.text) && usesOf(view, binding.local) === 0)
      .map((binding) => binding.element),
  );
  const edits: TextEdit[] = [];
  const removed = new Set<TS.Statement>();
  const lists = new Set(imports.bindings.filter((b) => unused.has(b.element)).map((b) => b.element.parent));
  for (const list of lists) {
    const kept = list.elements.filter(
      (element: TS.ImportSpecifier | TS.BindingElement | TS.OmittedExpression) =>
        !unused.has(element as TS.ImportSpecifier),
    );
    let statement: TS.Node = list;
    while (!ts.isImportDeclaration(statement) && !ts.isVariableStatement(statement)) statement = statement.parent;
    const declarations = ts.isVariableStatement(statement) ? statement.declarationList.declarations.length : 1;
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    if (kept.length === 0 && declarations === 1 && clause?.name === undefined) {
      edits.push({ text: '', ...statementLines(text, statement.getStart(), statement.end) });
      removed.add(statement as TS.Statement);
    } else if (kept.length === 0 && clause?.name !== undefined) {
      edits.push({ start: clause.name.end, end: list.end, text: '' });
    } else {
      edits.push({
        start: list.getStart(),
        end: list.end,
        text: `{ ${kept.map((element) => element.getText()).join(', ')} }`,
      });
    }
  }
  return { edits, removed };
}

/** The import edits for a file whose rewrites use `needs`. */
export function planImports(
  view: SourceView,
  imports: FacadeImports,
  needs: Needs,
  wasUsed: ReadonlySet<string>,
): TextEdit[] {
  const { ts, file } = view;
  const { edits, removed } = dropUnused(view, imports, wasUsed);
  const cjs = imports.style === 'cjs';
  const lines: string[] = [];
  const addNames = (modules: string[], wanted: string[]): void => {
    const existing = findImport(view, modules);
    const missing = wanted.filter((name) => !existing?.names.has(name));
    if (missing.length === 0) return;
    if (existing?.appendAt !== undefined && !removed.has(existing.statement)) {
      edits.push({
        start: existing.appendAt,
        end: existing.appendAt,
        text: missing.map((name) => `, ${name}`).join(''),
      });
    } else if (cjs) {
      lines.push(`const { ${missing.join(', ')} } = require('${modules[0]}');`);
    } else {
      lines.push(`import { ${missing.join(', ')} } from '${modules[0]}';`);
    }
  };
  const apiNames = [
    ...(needs.statusCode ? ['SpanStatusCode'] : []),
    ...(needs.propagation || needs.traceparent ? ['context', 'propagation'] : []),
    ...(needs.trace || needs.tracer ? ['trace'] : []),
  ];
  addNames([API_MODULE], apiNames);
  if (needs.hostname) addNames(['node:os', 'os'], ['hostname']);
  if (needs.tracer && !hasTracer(view)) lines.push('', TRACER_DECLARATION);
  if (needs.traceparent && !hasTraceparentHelper(view))
    lines.push('', traceparentHelper(/\.[cm]?tsx?$/.test(view.file.fileName)));
  if (lines.length === 0) return edits;

  // ESM: after the imports the file starts with, before any code that runs, which may use the tracer (a const
  // declared after its first use would throw).
  const leading = file.statements.findIndex((statement) => !ts.isImportDeclaration(statement));
  const lastImport =
    leading === 0 ? undefined : file.statements[(leading === -1 ? file.statements.length : leading) - 1];
  const anchor = cjs ? imports.loader : (lastImport ?? imports.loader);
  if (anchor === undefined) return edits;
  const block = lines.join('\n');
  if (removed.has(anchor)) {
    const index = edits.findIndex((edit) => edit.start <= anchor.getStart() && edit.end >= anchor.end);
    edits[index] = { ...edits[index]!, text: `${block}\n` };
  } else {
    edits.push({ start: anchor.end, end: anchor.end, text: `\n${block}` });
  }
  return edits;
}
