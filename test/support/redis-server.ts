// A real Redis (Debian's `redis-server`, installed by .ci/run) for tests: started on a free loopback port with no
// persistence, stopped in teardown.
import { spawn, type ChildProcess } from 'node:child_process';
import { freeTcpPort } from './ports.js';

export interface RedisServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
}

const READY = /Ready to accept connections/;

/** Starts `redis-server` on a free loopback port; rejects when it does not say it is ready within 15 s. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freeTcpPort();
  const proc: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
      '--loglevel',
      'notice',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 15 s:\n${output}`)), 15_000);
    function fail(error: Error): void {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(error);
    }
    proc.once('error', (error) =>
      fail(new Error(`redis-server could not be run (install Debian's redis-server): ${error.message}`)),
    );
    const exited = (code: number | null) => fail(new Error(`redis-server exited with ${code}:\n${output}`));
    proc.once('exit', exited);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (!READY.test(output)) return;
      clearTimeout(timer);
      proc.off('exit', exited);
      proc.stdout!.off('data', read);
      proc.stdout!.resume();
      resolve();
    };
    proc.stdout!.on('data', read);
    proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
  return {
    host: '127.0.0.1',
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        const kill = setTimeout(() => proc.kill('SIGKILL'), 3_000);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}
