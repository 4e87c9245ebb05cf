// Parsing one file for the codemod: the TypeScript compiler reads TS and JS (ESM and CommonJS, JSX too) into a
// syntax tree whose node positions index the original text, so edits can be spliced into that text and every byte
// the codemod does not rewrite (formatting, comments) stays as it was. A one-file program gives a type checker
// too, used only to resolve which declaration a name refers to (shadowing), never to read other files.
import { createRequire } from 'node:module';
import type * as TS from 'typescript';

export type TypeScript = typeof TS;

/** A parsed file: its tree, its text and the checker that resolves names inside it. */
export interface SourceView {
  readonly ts: TypeScript;
  readonly file: TS.SourceFile;
  readonly checker: TS.TypeChecker;
  readonly text: string;
}

/**
 * The TypeScript compiler, loaded on demand so that the runtime library never loads it: the compiler, or
 * 'missing', or the version of a typescript package without the compiler API the codemod uses (TypeScript 7's
 * package ships a native compiler and no `createSourceFile`).
 */
export async function loadTypeScript(): Promise<TypeScript | 'missing' | { unsupported: string }> {
  let loaded: TypeScript & { default?: TypeScript };
  try {
    loaded = (await import('typescript')) as TypeScript & { default?: TypeScript };
  } catch {
    return 'missing';
  }
  const ts = loaded.default ?? loaded;
  if (typeof ts.createSourceFile === 'function' && ts.ScriptTarget !== undefined && ts.ScriptKind !== undefined)
    return ts;
  return { unsupported: typeof ts.version === 'string' ? ts.version : 'unknown' };
}

/** The same, synchronously: the command loads the compiler only once a file names tomograph (most never do). */
export function requireTypeScript(): TypeScript | 'missing' | { unsupported: string } {
  let loaded: TypeScript & { default?: TypeScript };
  try {
    loaded = createRequire(import.meta.url)('typescript') as TypeScript & { default?: TypeScript };
  } catch {
    return 'missing';
  }
  const ts = loaded.default ?? loaded;
  if (typeof ts.createSourceFile === 'function' && ts.ScriptTarget !== undefined && ts.ScriptKind !== undefined)
    return ts;
  return { unsupported: typeof ts.version === 'string' ? ts.version : 'unknown' };
}

function scriptKindOf(ts: TypeScript, fileName: string): TS.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

// The standard library's declarations (ES2022, no DOM), parsed once per process and shared by every file's
// program: with them the checker knows what `rows.length` or `await Promise.resolve(1)` is, which decides whether
// a value may be recorded as it is (see value-types.ts).
const LIB = 'lib.es2022.d.ts';
const libFiles = new Map<string, TS.SourceFile | undefined>();

function libFile(ts: TypeScript, name: string): TS.SourceFile | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (!libFiles.has(base)) {
    const defaultLib = ts.getDefaultLibFilePath({});
    const path = `${defaultLib.slice(0, defaultLib.lastIndexOf('/'))}/${base}`;
    const text = ts.sys.readFile(path);
    libFiles.set(
      base,
      text === undefined ? undefined : ts.createSourceFile(`/lib/${base}`, text, ts.ScriptTarget.ES2022, false),
    );
  }
  return libFiles.get(base);
}

/**
 * Parses `text` as the file `fileName`. Returns the view, or the first syntax error as `line: message` (a file
 * that does not parse is never rewritten).
 */
export function viewSource(ts: TypeScript, fileName: string, text: string): SourceView | { error: string } {
  const options: TS.CompilerOptions = {
    allowJs: true,
    lib: [LIB],
    noResolve: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    jsx: ts.JsxEmit.Preserve,
  };
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, scriptKindOf(ts, fileName));
  const isLib = (name: string): boolean => name.startsWith('/lib/');
  // A host that knows this one file and the standard library only: the codemod reads no other file of yours.
  const host: TS.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? file : isLib(name) ? libFile(ts, name) : undefined),
    getDefaultLibFileName: () => `/lib/${LIB}`,
    getDefaultLibLocation: () => '/lib',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === fileName || (isLib(name) && libFile(ts, name) !== undefined),
    readFile: (name) => (name === fileName ? text : isLib(name) ? libFile(ts, name)?.text : undefined),
  };
  const program = ts.createProgram({ rootNames: [fileName], options, host });
  const diagnostics = program.getSyntacticDiagnostics(file);
  const first = diagnostics[0];
  if (first !== undefined) {
    const line = first.start === undefined ? 1 : file.getLineAndCharacterOfPosition(first.start).line + 1;
    return { error: `${line}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}` };
  }
  return { ts, file, checker: program.getTypeChecker(), text };
}

/** The 1-based line of a position. */
export function lineOf(view: SourceView, position: number): number {
  return view.file.getLineAndCharacterOfPosition(position).line + 1;
}
