// The original Python tomograph, run for real beside this package: test/legacy/run-original.py drives the fixture
// (test/fixtures/legacy-original) under Debian's python3 with python3-eventlet, python3-webob and
// python3-sqlalchemy (.ci/run installs them), and statsd datagrams are read off a UDP socket on loopback.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./run-original.py', import.meta.url));
/** The interpreter: TOMOGRAPH_LEGACY_PYTHON, else Debian's python3 (where apt puts eventlet, webob, sqlalchemy). */
export const PYTHON = process.env.TOMOGRAPH_LEGACY_PYTHON ?? '/usr/bin/python3';

/** Fails with what to install when the interpreter cannot import what the original needs. */
export function checkPython(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import eventlet, webob, sqlalchemy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `${PYTHON} cannot run the original tomograph (${(probe.stderr || String(probe.error)).trim().split('\n').pop()}). ` +
        'Install: apt-get install python3-eventlet python3-webob python3-sqlalchemy (or set TOMOGRAPH_LEGACY_PYTHON).',
    );
  }
}

/** One facade call, in the form both sides replay. Python keyword names for annotate's options. */
export type Op =
  | ['start', string, string, string, number | string]
  | ['stop', string]
  | ['annotate', string, { service_name?: string; address?: string; port?: number | string; duration?: number }?]
  | ['tag', string, string | number]
  | ['traced', string, string, string, number | string]
  | ['sql', string];

/** The spans the original's backends were given (ids as decimal text: Python ints are unbounded). */
export interface OriginalSpan {
  traceId: string;
  parentId: string | null;
  id: string;
  name: string;
  /** Whether its ids fit a Thrift i64, as the original's Zipkin backend needs. */
  encodable: boolean;
}

/** What the original did for one case. */
export interface OriginalRun {
  /** Calls that raised in the original, as 'call: ExceptionType'. */
  errors: string[];
  spans: OriginalSpan[];
}

/** One case the runner replays, in a thread of its own. */
export interface OriginalCase {
  program: readonly Op[];
  /** For 'sql': the original's `config.db_trace_as_spans`. */
  asSpans?: boolean;
}

/** The datagram the runner sends after each case. */
export const CASE_END = '#case-end';

/** The last line of the runner's stdout that is JSON (the original logs its backends to stdout first). */
function lastJson(stdout: string): unknown {
  const line = stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{') || l.startsWith('['));
  if (line === undefined) throw new Error(`the original printed no result:\n${stdout}`);
  return JSON.parse(line);
}

/** Runs `cases` through the runner's `mode` ('calls' or 'sql') in one process, statsd lines to `statsdPort`. */
export async function runOriginal(
  mode: 'calls' | 'sql',
  statsdPort: number,
  cases: readonly OriginalCase[],
): Promise<OriginalRun[]> {
  const result = (await runRunner(mode, { statsdPort, name: 'nova', cases })) as { runs: OriginalRun[] };
  return result.runs;
}

function runRunner(mode: 'calls' | 'sql', request: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [RUNNER, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the original exited ${code}:\n${stderr}`));
      else {
        try {
          resolve(lastJson(stdout));
        } catch (error) {
          reject(error as Error);
        }
      }
    });
    child.stdin.end(`${JSON.stringify(request)}\n`);
  });
}

/** A WSGI server behind the original's Middleware, on a free loopback port. */
export interface OriginalServer {
  readonly port: number;
  readonly url: string;
  /** The spans its backends have been given so far. */
  spans(): Promise<OriginalSpan[]>;
  close(): Promise<void>;
}

export async function startOriginalServer(request: {
  statsdPort: number;
  serviceName: string;
  name: string;
}): Promise<OriginalServer> {
  const child: ChildProcess = spawn(PYTHON, [RUNNER, 'server'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`the original server exited ${code}:\n${stderr}`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /\{"port": (\d+)\}/.exec(stdout);
      if (match !== null) resolve(Number(match[1]));
    });
    child.stdin!.write(`${JSON.stringify(request)}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    async spans() {
      const reply = await fetch(`${url}/spans`);
      return (await reply.json()) as OriginalSpan[];
    },
    close: () =>
      new Promise((resolve) => {
        child.removeAllListeners('close');
        child.once('close', () => resolve());
        child.stdin!.end();
      }),
  };
}

/** Statsd lines received on a loopback UDP port: each datagram split into its lines. */
export interface UdpCapture {
  readonly port: number;
  /**
   * Resolves with the lines received so far, and clears them, once `count` have come (or after `timeoutMs`); with no
   * `count`, once none has come for 300 ms.
   */
  take(count?: number, timeoutMs?: number): Promise<string[]>;
  /** Resolves with the lines of each of `count` cases, split at the runner's CASE_END datagrams, and clears them. */
  takeCases(count: number, timeoutMs?: number): Promise<string[][]>;
  close(): Promise<void>;
}

export async function captureUdp(): Promise<UdpCapture> {
  const socket: Socket = createSocket('udp4');
  const lines: string[] = [];
  socket.on('message', (message) =>
    lines.push(
      ...message
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    ),
  );
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    async take(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      let seen = -1;
      let quietSince = Date.now();
      while (Date.now() < deadline) {
        if (count !== undefined ? lines.length >= count : Date.now() - quietSince >= 300) break;
        if (lines.length !== seen) {
          seen = lines.length;
          quietSince = Date.now();
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // A moment more, so that a line too many shows up in the comparison instead of in the next case.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return lines.splice(0);
    },
    async takeCases(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (lines.filter((l) => l === CASE_END).length < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const cases: string[][] = [[]];
      for (const line of lines.splice(0)) {
        if (line === CASE_END) cases.push([]);
        else cases[cases.length - 1]!.push(line);
      }
      return cases.slice(0, count);
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** Timer values differ from run to run; names and counter values must not. */
export function withoutTimerValues(lines: readonly string[]): string[] {
  return lines.map((line) => line.replace(/:\d+\|ms$/, ':<ms>|ms'));
}

/** A decimal id as Python wrote it (possibly negative) as the 16 hex characters of its 64 bits. */
export function idBits(decimal: string): string {
  return BigInt.asUintN(64, BigInt(decimal)).toString(16).padStart(16, '0');
}
