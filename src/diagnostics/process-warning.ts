// Telling a developer about a mistake where they look: a diag logger shows every report, but most apps set none,
// so the first mistake of each kind is also said once through Node's own channel, `process.emitWarning` (printed
// on stderr as `(node:pid) [TOMOGRAPH_…] TomographWarning: …`, silenced by `--no-warnings`, seen by
// `process.on('warning')`).

/** The warning's `name`, which Node prints before the message. */
export const WARNING_TYPE = 'TomographWarning';

/**
 * The codes already told in this process, shared by every copy of tomograph loaded in it (two copies must not say
 * the same thing twice), through a global symbol as OpenTelemetry's API shares its globals.
 */
const TOLD_KEY = Symbol.for('tomograph.processWarnings.told');

function told(): Set<string> {
  const global = globalThis as { [TOLD_KEY]?: Set<string> };
  return (global[TOLD_KEY] ??= new Set<string>());
}

/**
 * Emits `message` as a process warning with code `TOMOGRAPH_<kind>`, the first time this kind is told in the
 * process; later calls of the same kind do nothing (the diag report stays the place for every occurrence). Never
 * throws: a 'warning' listener that throws, or a process without emitWarning, must not reach the app.
 */
export function warnOnce(kind: string, message: string): void {
  const code = `TOMOGRAPH_${kind}`;
  const codes = told();
  if (codes.has(code)) return;
  codes.add(code);
  try {
    process.emitWarning(message, {
      type: WARNING_TYPE,
      code,
      detail: 'Told once per kind; set a diag logger (diag.setLogger from @opentelemetry/api) to see every report.',
    });
  } catch {
    // Nothing to do: telemetry trouble is never the host's trouble.
  }
}
