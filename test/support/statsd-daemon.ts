// A real Etsy statsd daemon (npm `statsd` 0.9) for tests: started on free loopback ports (UDP, TCP, admin), read
// back through its admin port and its message dump, cleared between tests, stopped in teardown.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { freeTcpPort, freeUdpPort } from './ports.js';

export interface StatsdDaemonOptions {
  /**
   * Let the daemon clean names itself (whitespace → `_`, `/` → `-`, other characters outside `[A-Za-z0-9_.;=-]`
   * dropped). Off by default so that counters are keyed by exactly the names that arrived.
   * @default false
   */
  keyNameSanitize?: boolean;
  /**
   * Have the daemon log every line it receives, for `lines()`. Logging slows the daemon several times over, so a
   * test of loss under load turns it off and reads counters instead.
   * @default true
   */
  dumpMessages?: boolean;
  /** More daemon settings, over the test defaults: e.g. a Graphite backend and a flush interval. */
  config?: Record<string, unknown>;
}

/** A running daemon. All reads go through the admin port except `lines()`, the daemon's own dump of each line. */
export interface StatsdDaemon {
  readonly host: '127.0.0.1';
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly adminPort: number;
  /** Counters the daemon holds (its own `statsd.*` counters as deltas since the last `clear()`). */
  counters(): Promise<Record<string, number>>;
  /** Timer names with their values (the daemon cuts lists over 100 values; use `lines()` or counters for more). */
  timers(): Promise<Record<string, number[]>>;
  /** Lines the daemon received since the last `clear()`, in arrival order (empty with `dumpMessages: false`). */
  lines(): string[];
  /** `statsd.bad_lines_seen` since the last `clear()`. */
  badLines(): Promise<number>;
  /**
   * The kernel's view of the daemon's UDP socket (Linux, /proc/net/udp): datagrams it dropped because the daemon
   * did not read them in time (a full receive buffer; counted since the socket opened) and bytes waiting to be read.
   */
  udpSocket(): { drops: number; queuedBytes: number };
  /** Polls until `predicate` holds on the counters, or the timeout; returns the last counters read. */
  waitForCounters(
    predicate: (counters: Record<string, number>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, number>>;
  /** Polls until at least `count` lines arrived, or the timeout; returns the lines. */
  waitForLines(count: number, timeoutMs?: number): Promise<string[]>;
  /** Deletes every counter, timer and gauge the tests made, and forgets the lines seen. */
  clear(): Promise<void>;
  /** Stops the daemon and starts a new one on the same ports (its counters start from zero). */
  restart(): Promise<void>;
  /** Stops the daemon (SIGTERM, then SIGKILL after 3 s) and removes its config. */
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const HOST = '127.0.0.1';

/** Sends one admin command and returns the answer up to its `END` line. */
async function admin(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, HOST);
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`statsd admin '${command}' timed out; got: ${answer}`));
    }, 5000);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('END\n\n') || /^health: \w+\n$/.test(answer)) {
        clearTimeout(timer);
        socket.end();
        resolve(answer);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Keys of a util.inspect dump: bare, single- or double-quoted. */
const KEY = String.raw`(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([A-Za-z_$][\w$]*))`;

function unquote(single: string | undefined, double: string | undefined, bare: string | undefined): string {
  const raw = single ?? double ?? bare ?? '';
  return raw.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '0': '\0' })[c] ?? c);
}

function parseCounters(dump: string): Record<string, number> {
  const result: Record<string, number> = {};
  for (const match of dump.matchAll(new RegExp(`${KEY}: (-?[\\d.e+-]+|NaN)`, 'g'))) {
    result[unquote(match[1], match[2], match[3])] = Number(match[4]);
  }
  return result;
}

function parseTimers(dump: string): Record<string, number[]> {
  const result: Record<string, number[]> = {};
  for (const match of dump.matchAll(new RegExp(`${KEY}: \\[([^\\]]*)\\]`, 'g'))) {
    const values = (match[4] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '' && !v.includes('more item'))
      .map(Number);
    result[unquote(match[1], match[2], match[3])] = values;
  }
  return result;
}

/** A dumped line looks like `23 Nov 22:40:00 - DEBUG: <line>`; the daemon's other logs say "Bad line" or INFO. */
const DUMPED_LINE = /^\d{1,2} \w{3} \d\d:\d\d:\d\d - DEBUG: (.*)$/;

/** How the daemon process is started: the one place that knows the command line. */
function spawnDaemon(configPath: string): ChildProcess {
  const statsdMain = require.resolve('statsd/stats.js');
  // The preload gives statsd 0.9 back util.log, which Node 24 removed; the daemon itself is unchanged.
  const utilLog = fileURLToPath(new URL('./statsd-util-log.cjs', import.meta.url));
  return spawn(process.execPath, ['--require', utilLog, statsdMain, configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A daemon process: its exit, and a way to stop it. */
interface Launched {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

/**
 * Spawns the daemon on `configPath` and resolves once it answers on its admin port; each line it dumps goes to
 * `onLine`. The spawn itself is kept here alone (see spawnDaemon) so that a change to how the process is started
 * stays in one place.
 */
async function launch(configPath: string, adminPort: number, onLine: (line: string) => void): Promise<Launched> {
  const child = spawnDaemon(configPath);
  let pending = '';
  let output = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      if (output.length < 10_000) output += `${part}\n`;
      const match = DUMPED_LINE.exec(part);
      if (match && !match[1]!.startsWith('Bad line: ')) onLine(match[1]!);
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (output.length < 10_000) output += chunk;
  });

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`statsd did not start:\n${output}`)), 10_000);
    const check = (): void => {
      if (output.includes('server is up')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`statsd exited with ${code}:\n${output}`));
    });
  });
  // "server is up" is logged once the servers listen; the admin port may lag by a tick.
  for (let i = 0; i < 50; i += 1) {
    try {
      if ((await admin(adminPort, 'health')).includes('up')) break;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return { child, exited };
}

/** Stops a launched daemon: SIGTERM, then SIGKILL after 3 s. */
async function terminate({ child, exited }: Launched): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

/** The row of /proc/net/udp for the socket bound to 127.0.0.1:`port`: its drop count and receive queue. */
function udpSocketState(port: number): { drops: number; queuedBytes: number } {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const row of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue tr tm->when retrnsmt uid timeout inode ref pointer drops
    const fields = row.trim().split(/\s+/);
    if (fields[1] !== local) continue;
    return { drops: Number(fields[12]), queuedBytes: Number.parseInt(fields[4]!.split(':')[1]!, 16) };
  }
  throw new Error(`no UDP socket bound to 127.0.0.1:${port} in /proc/net/udp`);
}

/** Starts a daemon listening on UDP and TCP on free loopback ports; resolves once it says it is up. */
export async function startStatsdDaemon(options: StatsdDaemonOptions = {}): Promise<StatsdDaemon> {
  const [udpPort, tcpPort, adminPort] = [await freeUdpPort(), await freeTcpPort(), await freeTcpPort()];
  const dir = mkdtempSync(join(tmpdir(), 'tomograph-statsd-'));
  const configPath = join(dir, 'config.js');
  const config = {
    address: HOST,
    port: udpPort,
    mgmt_address: HOST,
    mgmt_port: adminPort,
    // No flush during a test: counters stay readable until we delete them.
    flushInterval: 3_600_000,
    backends: [],
    automaticConfigReload: false,
    dumpMessages: options.dumpMessages ?? true,
    keyNameSanitize: options.keyNameSanitize ?? false,
    servers: [
      { server: './servers/udp', address: HOST, port: udpPort },
      { server: './servers/tcp', address: HOST, port: tcpPort },
    ],
    ...options.config,
  };
  writeFileSync(configPath, `(${JSON.stringify(config)})`);
  let received: string[] = [];
  let running = await launch(configPath, adminPort, (line) => received.push(line));

  let baseline: Record<string, number> = {};
  const rawCounters = async (): Promise<Record<string, number>> => parseCounters(await admin(adminPort, 'counters'));
  const counters = async (): Promise<Record<string, number>> => {
    const all = await rawCounters();
    for (const key of Object.keys(all)) {
      if (key.startsWith('statsd.')) all[key] = all[key]! - (baseline[key] ?? 0);
    }
    return all;
  };

  const daemon: StatsdDaemon = {
    host: HOST,
    udpPort,
    tcpPort,
    adminPort,
    counters,
    timers: async () => parseTimers(await admin(adminPort, 'timers')),
    lines: () => [...received],
    badLines: async () => (await counters())['statsd.bad_lines_seen'] ?? 0,
    udpSocket: () => udpSocketState(udpPort),
    async waitForCounters(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      let last = await counters();
      while (!predicate(last) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        last = await counters();
      }
      return last;
    },
    async waitForLines(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return [...received];
    },
    async clear() {
      // The daemon's own statsd.* counters must stay (deleting one makes it NaN): they are read as deltas instead.
      const [all, timers, gauges] = [
        await rawCounters(),
        parseTimers(await admin(adminPort, 'timers')),
        parseCounters(await admin(adminPort, 'gauges')),
      ];
      for (const [command, names] of [
        ['delcounters', Object.keys(all)],
        ['deltimers', Object.keys(timers)],
        ['delgauges', Object.keys(gauges)],
      ] as const) {
        // Exact names only: a name with whitespace cannot be passed on the admin line, but the exporter never sends
        // one.
        const deletable = names.filter((name) => !name.startsWith('statsd.') && !/\s/.test(name));
        for (let i = 0; i < deletable.length; i += 50)
          await admin(adminPort, `${command} ${deletable.slice(i, i + 50).join(' ')}`);
      }
      baseline = await rawCounters();
      received = [];
    },
    async restart() {
      await terminate(running);
      running = await launch(configPath, adminPort, (line) => received.push(line));
      baseline = await rawCounters();
      received = [];
    },
    async stop() {
      await terminate(running);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return daemon;
}

/**
 * For a test file: starts one daemon before all tests, clears it before each, stops it after all. Returns a getter
 * (the daemon exists only once `beforeAll` ran).
 */
export function useStatsdDaemon(options: StatsdDaemonOptions = {}): () => StatsdDaemon {
  let daemon: StatsdDaemon | undefined;
  beforeAll(async () => {
    daemon = await startStatsdDaemon(options);
  });
  afterAll(async () => {
    await daemon?.stop();
  });
  beforeEach(async () => {
    await daemon?.clear();
  });
  return () => {
    if (daemon === undefined)
      throw new Error('useStatsdDaemon(): the daemon is not started yet (use it inside a test)');
    return daemon;
  };
}
