// The whole legacy pipeline for the seed's first example: this package → the Etsy statsd daemon (its Graphite
// backend, names cleaned as a default daemon cleans them) → Debian's graphite-carbon carbon-cache → whisper files,
// read back with Debian's python3-whisper. The paths and the values stored are what dashboards read.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annotate, configure, start, stop, type Tomograph } from 'tomograph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStatsdDaemon, type StatsdDaemon } from '../support/statsd-daemon.js';
import { freeTcpPort } from '../support/ports.js';

const CARBON = '/usr/bin/carbon-cache';
const PYTHON = process.env.TOMOGRAPH_LEGACY_PYTHON ?? '/usr/bin/python3';

interface Carbon {
  readonly linePort: number;
  readonly whisperDir: string;
  stop(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** carbon-cache in the foreground on free loopback ports, storing 1-second points under a temporary directory. */
async function startCarbon(): Promise<Carbon> {
  const dir = mkdtempSync(join(tmpdir(), 'tomograph-carbon-'));
  const whisperDir = join(dir, 'whisper');
  mkdirSync(whisperDir);
  mkdirSync(join(dir, 'log'));
  const [linePort, picklePort, queryPort] = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
  writeFileSync(
    join(dir, 'carbon.conf'),
    [
      '[cache]',
      `STORAGE_DIR = ${dir}/`,
      `LOCAL_DATA_DIR = ${whisperDir}/`,
      `CONF_DIR = ${dir}/`,
      `LOG_DIR = ${dir}/log/`,
      `PID_DIR = ${dir}/`,
      'DATABASE = whisper',
      'USER =',
      'ENABLE_TAGS = False',
      'WHISPER_AUTOFLUSH = True',
      'MAX_CACHE_SIZE = inf',
      'MAX_UPDATES_PER_SECOND = inf',
      'MAX_CREATES_PER_MINUTE = inf',
      `LINE_RECEIVER_INTERFACE = 127.0.0.1`,
      `LINE_RECEIVER_PORT = ${linePort}`,
      'ENABLE_UDP_LISTENER = False',
      `PICKLE_RECEIVER_INTERFACE = 127.0.0.1`,
      `PICKLE_RECEIVER_PORT = ${picklePort}`,
      `CACHE_QUERY_INTERFACE = 127.0.0.1`,
      `CACHE_QUERY_PORT = ${queryPort}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'storage-schemas.conf'), '[default]\npattern = .*\nretentions = 1s:1h\n');
  const child: ChildProcess = spawn(CARBON, [`--config=${join(dir, 'carbon.conf')}`, '--nodaemon', 'start'], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 30_000;
  while (!(await canConnect(linePort))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('carbon-cache did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    linePort,
    whisperDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The sum of the points a whisper file holds for the last hour (None points left out). */
function whisperSum(path: string): number {
  const script =
    'import sys, time, whisper\n(_, values) = whisper.fetch(sys.argv[1], time.time() - 3600)\nprint(sum(v for v in values if v is not None))';
  const result = spawnSync(PYTHON, ['-c', script, path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return Number(result.stdout.trim());
}

let carbon: Carbon;
let daemon: StatsdDaemon;
let tomograph: Tomograph;

beforeAll(async () => {
  if (!existsSync(CARBON))
    throw new Error(`${CARBON} is missing: apt-get install graphite-carbon (it brings python3-whisper)`);
  carbon = await startCarbon();
  daemon = await startStatsdDaemon({
    keyNameSanitize: true,
    dumpMessages: false,
    // deleteIdleStats: a flush sends a metric only when it has new data, so that no later zero can land in the same
    // one-second whisper slot and overwrite the point.
    config: {
      backends: ['./backends/graphite'],
      graphiteHost: '127.0.0.1',
      graphitePort: carbon.linePort,
      flushInterval: 1000,
      deleteIdleStats: true,
    },
  });
  tomograph = configure({ backends: ['statsd'], statsd: { host: daemon.host, port: daemon.udpPort } });
}, 60_000);
afterAll(async () => {
  await tomograph?.shutdown();
  await daemon?.stop();
  await carbon?.stop();
});

describe('the seed example through statsd and carbon into whisper', () => {
  it("stores `start('my service', 'a query', '', 80)` under the original's paths, each counter once", async () => {
    start('my service', 'a query', '', 80);
    annotate('something happened');
    stop('a query');
    await tomograph.forceFlush();

    const base = join(carbon.whisperDir, 'stats_counts', 'my-service--80', 'a-query');
    const files = {
      start: join(base, 'start.wsp'),
      note: join(base, 'something-happened.wsp'),
      stop: join(base, 'stop.wsp'),
      timer: join(carbon.whisperDir, 'stats', 'timers', 'my-service--80', 'a-query', 'count.wsp'),
    };
    const deadline = Date.now() + 30_000;
    while (!Object.values(files).every(existsSync) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    // Another flush interval: a second flush of the same lines would show as a sum of 2.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(
      Object.fromEntries(
        Object.entries(files).map(([key, path]) => [key, existsSync(path) ? whisperSum(path) : 'missing']),
      ),
    ).toEqual({ start: 1, note: 1, stop: 1, timer: 1 });
  });
});
