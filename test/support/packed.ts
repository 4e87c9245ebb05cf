// The packed tarball, for the tests that install it the way a user would (test/package, the packed command).
//
// Their time is npm's and a cold node or tsc process's: seconds on a quiet machine, a minute or more on a loaded
// 2-core one. No test here measures time, so no bound is tight: children get a bound that only catches a hang, and
// the tests a bound above it (a synchronous child blocks vitest's own timer, so the test's bound must be the larger).
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** A child process (npm pack, node, tsc, attw) that runs longer than this is taken as hung. */
export const CHILD_HANG_MILLIS = 240_000;
/** The test and hook timeout of files that pack and run children: above the hang bound of the children they run. */
export const PACKED_TEST_MILLIS = 600_000;

const root = resolve(import.meta.dirname, '../..');

export interface PackedTarball {
  /** Absolute path of the .tgz. */
  path: string;
  /** Packed size in bytes. */
  size: number;
  files: { path: string; size: number }[];
}

/** `npm pack` of this checkout (dist/ as built; no scripts run) into `destination`. */
export function packTarball(destination: string): PackedTarball {
  const [result] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
      cwd: root,
      encoding: 'utf8',
      timeout: CHILD_HANG_MILLIS,
    }),
  ) as { filename: string; size: number; files: { path: string; size: number }[] }[];
  return { path: join(destination, result!.filename), size: result!.size, files: result!.files };
}
