// Running a fixture app in a child Node process, to see whether it exits by itself and what it prints.
import { spawn } from 'node:child_process';

export interface ChildRun {
  code: number | null;
  output: string;
  ms: number;
  /** True when the child had to be killed at the limit: it did not exit by itself. */
  killed: boolean;
}

/** Runs `file` (TypeScript, through tsx) with `env` added; kills it after `limitMs`. */
export function runChildApp(file: string, env: Record<string, string>, limitMs: number): Promise<ChildRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const proc = spawn(process.execPath, ['--import', 'tsx', file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let killed = false;
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      killed = true;
      proc.kill('SIGKILL');
    }, limitMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: performance.now() - started, killed });
    });
  });
}
