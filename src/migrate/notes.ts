// annotate(value, options) and tag(key, value) as OpenTelemetry calls on a span: `span.addEvent(value, attributes)`
// and `span.setAttribute(key, value)`, the options turned into the event attributes the facade records.
import type * as TS from 'typescript';
import type { SourceView } from './parse.js';

/** The event attribute each annotate() option becomes (see src/facade/notes.ts). */
const NOTE_ATTRIBUTES: Readonly<Record<string, string>> = {
  serviceName: 'service.name',
  address: 'tomograph.endpoint.address',
  port: 'tomograph.endpoint.port',
  duration: 'tomograph.note.duration_ms',
};

/** The text a note call becomes with `target` as the span expression, or why it cannot be rewritten. */
export function noteCallText(view: SourceView, call: TS.CallExpression, kind: 'annotate' | 'tag', target: string): { text: string } | { reason: string } {
  const { ts } = view;
  const args = call.arguments;
  if (args.some((arg) => ts.isSpreadElement(arg))) return { reason: `${kind}() with spread arguments` };
  if (kind === 'tag') {
    if (args.length !== 2) return { reason: `tag() with ${args.length} arguments` };
    return { text: `${target}.setAttribute(${args[0]!.getText()}, ${args[1]!.getText()})` };
  }
  if (args.length === 0 || args.length > 2) return { reason: `annotate() with ${args.length} arguments` };
  const value = args[0]!.getText();
  const options = args[1];
  if (options === undefined || (ts.isIdentifier(options) && options.text === 'undefined')) return { text: `${target}.addEvent(${value})` };
  if (!ts.isObjectLiteralExpression(options)) return { reason: 'annotate() with options that are not an object literal: rewrite by hand' };
  const attributes: string[] = [];
  for (const property of options.properties) {
    const key = property.name !== undefined && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    const attribute = key === undefined ? undefined : NOTE_ATTRIBUTES[key];
    if (attribute === undefined) return { reason: `annotate() with an option it does not know (${property.getText()})` };
    if (ts.isPropertyAssignment(property)) attributes.push(`'${attribute}': ${property.initializer.getText()}`);
    else if (ts.isShorthandPropertyAssignment(property)) attributes.push(`'${attribute}': ${property.name.text}`);
    else return { reason: `annotate() with an option it cannot read (${property.getText()})` };
  }
  return { text: attributes.length === 0 ? `${target}.addEvent(${value})` : `${target}.addEvent(${value}, { ${attributes.join(', ')} })` };
}
