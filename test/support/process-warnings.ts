// Reading a child's stderr for tomograph's process warnings (src/diagnostics/process-warning.ts): which codes it
// told, and whatever else was printed, which the tests expect to be nothing.

/** The TOMOGRAPH_ codes of the warnings Node printed in `stderr`, in order, and `rest`: stderr without them. */
export function tomographWarnings(stderr: string): { codes: string[]; rest: string } {
  const codes: string[] = [];
  const rest = stderr
    .replace(
      /^\(node:\d+\) \[(TOMOGRAPH_[A-Z0-9_]+)\] TomographWarning: .*\n(?:Told once per kind.*\n)?/gm,
      (_block, code: string) => {
        codes.push(code);
        return '';
      },
    )
    .replace(/^\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n/m, '');
  return { codes, rest };
}
