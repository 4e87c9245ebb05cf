// What the checker knows of a value's type, for the places where the facade converted or dropped a value of the
// wrong type at run time (a tag value as text, a string port, an annotate option of the wrong type) and the
// OpenTelemetry call it becomes would record it as it is. A rewrite is made only where the type says the facade
// recorded the value unchanged; anything else (`any`, a union with other types) is left and reported.
import type * as TS from 'typescript';
import type { SourceView } from './parse.js';

export type ValueKind = 'string' | 'number' | 'primitive';

/** Whether every type `expression` may have is `kind` (a union of absent values counted when `absentAllowed`). */
export function hasType(view: SourceView, expression: TS.Expression, kind: ValueKind, absentAllowed = false): boolean {
  const { ts, checker } = view;
  const F = ts.TypeFlags;
  const wanted =
    kind === 'string' ? F.StringLike : kind === 'number' ? F.NumberLike : F.StringLike | F.NumberLike | F.BooleanLike;
  const absent = absentAllowed ? F.Undefined | F.Null | F.Void : 0;
  const type = checker.getTypeAtLocation(expression);
  const parts = type.isUnion() ? type.types : [type];
  let present = false;
  for (const part of parts) {
    if ((part.flags & wanted) !== 0) present = true;
    else if ((part.flags & absent) === 0) return false;
  }
  return present;
}
