// One context core per process, whatever number of tomograph copies the process loads.
//
// An application may load tomograph twice: its ES-module build through `import` and its CommonJS build through
// `require` (a dependency that requires it), or two versions in the tree. Each copy has its own module state, and
// frames made by one must read the same in the other: a copy that did not recognise the other's contexts would
// chain them without end (every job of a loop two frames deeper, until the stack overflows). So the first copy
// loaded registers its core on `globalThis` under a `Symbol.for` key, with the protocol (the shape of frames and
// contexts) it speaks, and every later copy that speaks the same protocol uses that core. A copy speaking another
// protocol keeps its own core and says so once: its spans still parent each other's through OpenTelemetry, but
// the bounds this core keeps hold within each copy only.
import { diag } from '@opentelemetry/api';
import { warnOnce as tellOnce } from '../diagnostics/process-warning.js';

const REGISTRY = Symbol.for('tomograph.context-core');

interface Registered {
  readonly protocol: number;
  readonly version: string;
  readonly core: unknown;
}

/**
 * Tells the developer once: through `diag` and, unless `processWarning` is false, where a developer sees it even
 * with no OTel diag logger set: a Node process warning with `code` (silenced by `--no-warnings`).
 */
export function warnOnce(flags: Set<string>, code: string, message: string, processWarning = true): void {
  if (flags.has(code)) return;
  flags.add(code);
  diag.warn(`tomograph: ${message}`);
  // The process warning goes through the one told-once channel (diagnostics/process-warning.ts).
  if (processWarning) tellOnce(code.replace(/^TOMOGRAPH_/, ''), `tomograph: ${message}`);
}

/**
 * The process's core for `protocol`: the one a copy registered before, or `create()`'s, registered for later
 * copies. `version` is this copy's package version, kept beside the core so that a mismatch can name both.
 */
export function sharedCore<T>(protocol: number, version: string, create: () => T): T {
  const globals = globalThis as Record<symbol, Registered | undefined>;
  const registered = globals[REGISTRY];
  if (registered === undefined) {
    const core = create();
    Object.defineProperty(globals, REGISTRY, {
      value: { protocol, version, core },
      configurable: false,
      enumerable: false,
      writable: false,
    });
    return core;
  }
  if (registered.protocol === protocol) return registered.core as T;
  warnOnce(
    new Set(),
    'TOMOGRAPH_COPIES',
    `two copies of tomograph with different context protocols are loaded (${registered.version}, protocol ` +
      `${registered.protocol}, and ${version}, protocol ${protocol}); spans of one still parent the other's through ` +
      'OpenTelemetry, but a span one copy stops may stay visible to the other. Deduplicate the package ' +
      '(npm ls tomograph).',
  );
  return create();
}
