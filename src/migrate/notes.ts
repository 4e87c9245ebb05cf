// annotate(value, options) and tag(key, value) as OpenTelemetry calls on a span: `span.addEvent(value, attributes)`
// and `span.setAttribute(key, value)`, the options turned into the event attributes the facade records.
import type * as TS from 'typescript';
import type { SourceView } from './parse.js';
import { hasType, type ValueKind } from './value-types.js';

/** The event attribute each annotate() option becomes (see src/facade/notes.ts). */
const NOTE_ATTRIBUTES: Readonly<Record<string, string>> = {
  serviceName: 'service.name',
  address: 'tomograph.endpoint.address',
  port: 'tomograph.endpoint.port',
  duration: 'tomograph.note.duration_ms',
};

/** The type the facade records each option of (another type it drops). */
const OPTION_TYPES: Readonly<Record<string, ValueKind>> = {
  serviceName: 'string',
  address: 'string',
  port: 'number',
  duration: 'number',
};

/**
 * The facade recorded a tag value that is not a string, number or boolean as text, a key that is not a non-empty
 * string not at all, and a note value that is not a string as text; the OpenTelemetry calls would record (or drop)
 * such values otherwise, so only values whose types say the facade kept them as they were are rewritten.
 */

/** The text a note call becomes with `target` as the span expression, or why it cannot be rewritten. */
export function noteCallText(
  view: SourceView,
  call: TS.CallExpression,
  kind: 'annotate' | 'tag',
  target: string,
): { text: string } | { reason: string } {
  const { ts } = view;
  const args = call.arguments;
  if (args.some((arg) => ts.isSpreadElement(arg))) return { reason: `${kind}() with spread arguments` };
  if (kind === 'tag') {
    if (args.length !== 2) return { reason: `tag() with ${args.length} arguments` };
    if (!hasType(view, args[0]!, 'string'))
      return {
        reason: `tag(${args[0]!.getText()}, …): the key may not be a string, which the facade checked; rewrite by hand`,
      };
    if (!hasType(view, args[1]!, 'primitive')) {
      return {
        reason: `tag(${args[0]!.getText()}, ${args[1]!.getText()}): the value may not be a string, number or boolean, which the facade recorded as text; rewrite by hand`,
      };
    }
    return { text: `${target}.setAttribute(${args[0]!.getText()}, ${args[1]!.getText()})` };
  }
  if (args.length === 0 || args.length > 2) return { reason: `annotate() with ${args.length} arguments` };
  if (!hasType(view, args[0]!, 'string'))
    return {
      reason: `annotate(${args[0]!.getText()}): the value may not be a string, which the facade recorded as text; rewrite by hand`,
    };
  const value = args[0]!.getText();
  const options = args[1];
  if (options === undefined || (ts.isIdentifier(options) && options.text === 'undefined'))
    return { text: `${target}.addEvent(${value})` };
  if (!ts.isObjectLiteralExpression(options))
    return { reason: 'annotate() with options that are not an object literal: rewrite by hand' };
  const attributes: string[] = [];
  for (const property of options.properties) {
    const key =
      property.name !== undefined && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ? property.name.text
        : undefined;
    const attribute = key === undefined ? undefined : NOTE_ATTRIBUTES[key];
    if (attribute === undefined)
      return { reason: `annotate() with an option it does not know (${property.getText()})` };
    const optionValue = ts.isPropertyAssignment(property)
      ? property.initializer
      : ts.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
    if (optionValue === undefined)
      return { reason: `annotate() with an option it cannot read (${property.getText()})` };
    if (!hasType(view, optionValue, OPTION_TYPES[key!]!))
      return {
        reason: `annotate() option ${property.getText()} may not be a ${OPTION_TYPES[key!]!}, which the facade dropped; rewrite by hand`,
      };
    attributes.push(`'${attribute}': ${optionValue.getText()}`);
  }
  return {
    text:
      attributes.length === 0
        ? `${target}.addEvent(${value})`
        : `${target}.addEvent(${value}, { ${attributes.join(', ')} })`,
  };
}
