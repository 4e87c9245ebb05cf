// The code both rewrites write: a `tracer.startActiveSpan(name, { attributes }, (span) => { try … })` call that ends
// the span on every way out and records a throw as the facade's traced() does (exception event, status ERROR), the
// span's attributes with the facade's defaults, and a parameter name for the span that clashes with nothing.
import type * as TS from 'typescript';
import { TRACER } from './otel-names.js';
import type { SourceView } from './parse.js';

/** Names tried, in order, for the callback's span parameter. */
export const SPAN_NAMES = ['span', 'otelSpan', 'activeSpan'];

/** A span parameter name that nothing in the body already means. */
export function spanName(view: SourceView, body: readonly TS.Node[], start: number, end: number): string | undefined {
  const { ts, checker } = view;
  const used = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && SPAN_NAMES.includes(node.text)) {
      // A name declared inside a function of the body (an inner rewritten pair's parameter) does not clash.
      const declaration = checker.getSymbolAtLocation(node)?.declarations?.[0];
      const inner =
        declaration !== undefined &&
        declaration.pos >= start &&
        declaration.end <= end &&
        insideFunction(ts, declaration, start);
      if (!inner) used.add(node.text);
    }
    node.forEachChild(visit);
  };
  body.forEach(visit);
  return SPAN_NAMES.find((name) => !used.has(name));
}

function insideFunction(ts: SourceView['ts'], node: TS.Node, bodyStart: number): boolean {
  for (
    let parent = node.parent as TS.Node | undefined;
    parent !== undefined && parent.pos >= bodyStart;
    parent = parent.parent
  ) {
    if (
      ts.isArrowFunction(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isMethodDeclaration(parent)
    )
      return true;
  }
  return false;
}

/**
 * The span's attributes from a service (source text), an address and a port, with the facade's defaults (host name,
 * port 0).
 */
export function spanAttributes(
  view: SourceView,
  service: string,
  address: TS.Expression | undefined,
  port: TS.Expression | undefined,
): { text: string; hostname: boolean } {
  const { ts } = view;
  const absent = (node: TS.Expression | undefined): boolean =>
    node === undefined ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(node) && node.text === 'undefined');
  const simple = (node: TS.Expression): string =>
    ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node)
      ? node.getText()
      : `(${node.getText()})`;
  let hostname = false;
  let addressText: string;
  if (absent(address)) {
    addressText = 'hostname()';
    hostname = true;
  } else if (ts.isStringLiteral(address!)) {
    addressText = address.getText();
  } else {
    addressText = `${simple(address!)} ?? hostname()`;
    hostname = true;
  }
  const portText = absent(port) ? '0' : ts.isNumericLiteral(port!) ? port!.getText() : `${simple(port!)} ?? 0`;
  return {
    text: `{ 'service.name': ${service}, 'tomograph.endpoint.address': ${addressText}, 'tomograph.endpoint.port': ${portText} }`,
    hostname,
  };
}

/** The parts of a startActiveSpan call; `body` is already indented two levels deeper than `indent`. */
export interface SpanCallParts {
  readonly indent: string;
  readonly unit: string;
  /** What stands before the call: `await `, `return `, `const x = await `… */
  readonly prefix: string;
  readonly name: string;
  readonly attributes: string;
  /** The parent context's source text, when it is not the active one. */
  readonly context?: string | undefined;
  readonly async: boolean;
  readonly span: string;
  /** A comment that stood after the statement the call replaces, kept after `try {`. */
  readonly trailing: string;
  readonly body: string;
  /** What ends the call: `;` for a statement, `` for an expression. */
  readonly end?: string;
}

/** The call's text, from its first line's indentation to its closing `})`. */
export function startActiveSpanText(parts: SpanCallParts): string {
  const { indent, unit, span } = parts;
  const inner = indent + unit + unit;
  const head =
    `${indent}${parts.prefix}${TRACER}.startActiveSpan(${parts.name}, {\n${indent}${unit}attributes: ${parts.attributes},\n` +
    `${indent}}, ${parts.context === undefined ? '' : `${parts.context}, `}${parts.async ? 'async ' : ''}(${span}) => {`;
  // Nothing between the ends: nothing can throw, and an empty try block is noise.
  if (parts.body.trim() === '' && parts.trailing === '')
    return `${head}\n${indent}${unit}${span}.end();\n${indent}})${parts.end ?? ';'}`;
  return [
    head,
    `${indent}${unit}try {${parts.trailing}`,
    `${parts.body}${indent}${unit}} catch (error) {`,
    `${inner}${span}.recordException(error instanceof Error ? error : String(error));`,
    `${inner}${span}.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });`,
    `${inner}throw error;`,
    `${indent}${unit}} finally {`,
    `${inner}${span}.end();`,
    `${indent}${unit}}`,
    `${indent}})${parts.end ?? ';'}`,
  ].join('\n');
}

/**
 * The parts of a rewritten start/stop pair; `body` is the code after the start, up to and with its last `span.end()`.
 */
export interface PairCallParts {
  readonly indent: string;
  readonly unit: string;
  readonly prefix: string;
  readonly name: string;
  readonly attributes: string;
  readonly context?: string | undefined;
  readonly async: boolean;
  readonly span: string;
  /** Every line after its first already moved right (one level, two with recordExceptions). */
  readonly body: string;
  /** `return x;`: the names declared inside and used outside. */
  readonly handBack: string | undefined;
  /** A catch that records a throw on the span, sets ERROR and ends it (traced()'s way). */
  readonly recordExceptions: boolean;
}

/** A pair's call text, from its first line's indentation to its closing `});`. */
export function pairCallText(parts: PairCallParts): string {
  const { indent, unit, span } = parts;
  const head =
    `${indent}${parts.prefix}${TRACER}.startActiveSpan(${parts.name}, {\n${indent}${unit}attributes: ${parts.attributes},\n` +
    `${indent}}, ${parts.context === undefined ? '' : `${parts.context}, `}${parts.async ? 'async ' : ''}(${span}) => {`;
  if (!parts.recordExceptions) {
    // A body on the start's own line stays on one line; otherwise the hand-back and the end get lines of their own.
    if (!parts.body.includes('\n'))
      return `${head}${parts.body}${parts.handBack === undefined ? '' : ` ${parts.handBack}`} });`;
    return `${head}${parts.body}\n${parts.handBack === undefined ? '' : `${indent}${unit}${parts.handBack}\n`}${indent}});`;
  }
  const inner = indent + unit + unit;
  return [
    `${head}`,
    `${indent}${unit}try {${parts.body}`,
    ...(parts.handBack === undefined ? [] : [`${inner}${parts.handBack}`]),
    `${indent}${unit}} catch (error) {`,
    `${inner}${span}.recordException(error instanceof Error ? error : String(error));`,
    `${inner}${span}.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });`,
    `${inner}${span}.end();`,
    `${inner}throw error;`,
    `${indent}${unit}}`,
    `${indent}});`,
  ].join('\n');
}
