// Which spans become metrics: by instrumentation scope, by kind, then by the user's own predicate (pure).
import type { SpanFacts, SpanKindName } from './span-facts.js';

export interface SelectionOptions {
  readonly scopes?: ReadonlyArray<string | RegExp> | undefined;
  readonly excludeScopes: ReadonlyArray<string | RegExp>;
  readonly kinds?: readonly SpanKindName[] | undefined;
  readonly filter?: ((span: SpanFacts) => boolean) | undefined;
}

function matches(patterns: ReadonlyArray<string | RegExp>, name: string): boolean {
  for (const pattern of patterns) {
    if (typeof pattern === 'string') {
      if (pattern === name) return true;
      continue;
    }
    // A user's /…/g or /…/y keeps lastIndex between test() calls: the same scope would match every other time.
    pattern.lastIndex = 0;
    if (pattern.test(name)) return true;
  }
  return false;
}

/** True when `span` is to become metrics. A filter that throws is the caller's to count; it throws through. */
export function isSelected(span: SpanFacts, options: SelectionOptions): boolean {
  const scope = span.scope.name;
  if (options.scopes !== undefined && !matches(options.scopes, scope)) return false;
  if (matches(options.excludeScopes, scope)) return false;
  if (options.kinds !== undefined && !options.kinds.includes(span.kind)) return false;
  return options.filter === undefined ? true : options.filter(span) === true;
}
