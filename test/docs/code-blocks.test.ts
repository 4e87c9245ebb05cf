// Every code block of README.md and docs/*.md runs as written, as a user would run it: copied into a fresh app that
// has tomograph installed (this checkout's build, linked) and run with Node, in an ES-module app and in the
// CommonJS app `npm init -y` makes. The fence's info string says how (README.md's note for contributors):
//   ```ts / ```js        a program, run in both apps (TypeScript through tsx)
//   ```ts esm            an ES-module program only (top-level await)
//   ```js cjs            a CommonJS program only (require)
//   line=2.x / line=3.x  only on that OpenTelemetry line (the packages it imports exist on one line only)
//   example=FILE         a server that runs until stopped: the block must be FILE word for word, and the test of
//                        that example runs it (starts it, sends a request, stops it)
//   needs=redis          a program that talks to Redis: run with a real redis-server on REDIS_PORT
//   ```sh / ```text      not a program: commands or output, not run
// Any other fence fails here, so that a new block is either run or marked. Needs dist/ (npm test builds first).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINE } from '../support/sdk-line.js';
import { tomographWarnings } from '../support/process-warnings.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const SOURCES = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const NOT_PROGRAMS = new Set(['sh', 'text']);
const PROGRAMS = new Set(['ts', 'js']);
const RUNNING_LINE = LINE;

interface Block {
  file: string;
  line: number;
  lang: string;
  flags: string[];
  code: string;
}

/** The fenced blocks of a Markdown text, with their info strings. */
export function fencedBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const [lang = '', ...flags] = open[1]!.trim().split(/\s+/).filter(Boolean);
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]!); i += 1) body.push(lines[i]!);
    blocks.push({ file, line: start + 1, lang, flags, code: `${body.join('\n')}\n` });
  }
  return blocks;
}

const blocks = SOURCES.flatMap((file) => fencedBlocks(file, readFileSync(join(root, file), 'utf8')));

/** The module systems a program block runs in, on this line (none when it belongs to the other line). */
function systemsOf(block: Block): ('esm' | 'cjs')[] {
  const line = block.flags.find((flag) => flag.startsWith('line='))?.slice('line='.length);
  if (line !== undefined && line !== RUNNING_LINE) return [];
  if (block.flags.includes('esm')) return ['esm'];
  if (block.flags.includes('cjs')) return ['cjs'];
  return ['esm', 'cjs'];
}

let apps: Record<'esm' | 'cjs', string>;
let scratch: string;
let redis: RedisServer | undefined;

/** The example file a block is (`example=FILE`), if any. */
function exampleOf(block: Block): string | undefined {
  return block.flags.find((flag) => flag.startsWith('example='))?.slice('example='.length);
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tomograph-doc-blocks-'));
  const app = (name: 'esm' | 'cjs'): string => {
    const dir = join(scratch, name);
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    if (name === 'cjs') execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore', timeout: 120_000 });
    else
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'esm-app', version: '1.0.0', type: 'module' }));
    // tomograph as built here (its package.json "exports" point into dist/), and what an app would have beside it.
    symlinkSync(root, join(dir, 'node_modules', 'tomograph'));
    for (const entry of readdirSync(join(root, 'node_modules'))) {
      if (entry === 'tomograph' || entry.startsWith('.')) continue;
      symlinkSync(join(root, 'node_modules', entry), join(dir, 'node_modules', entry));
    }
    return dir;
  };
  apps = { esm: app('esm'), cjs: app('cjs') };
}, 300_000);

afterAll(async () => {
  await redis?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('code blocks of README.md and docs/', () => {
  it('are all either programs or marked as commands or output', () => {
    const unmarked = blocks
      .filter((b) => !PROGRAMS.has(b.lang) && !NOT_PROGRAMS.has(b.lang))
      .map((b) => `${b.file}:${b.line} \`\`\`${b.lang}`);
    expect(unmarked).toEqual([]);
    expect(blocks.filter((b) => PROGRAMS.has(b.lang)).length).toBeGreaterThan(10);
  });

  const examples = blocks.filter((b) => exampleOf(b) !== undefined);
  it.each(examples.map((block) => [`${block.file}:${block.line}`, block] as const))(
    '%s is its example file word for word',
    (_name, block) => {
      expect(block.code).toBe(readFileSync(join(root, exampleOf(block)!), 'utf8'));
    },
  );

  const programs = blocks
    .filter((b) => PROGRAMS.has(b.lang) && exampleOf(b) === undefined)
    .flatMap((block) => systemsOf(block).map((system) => ({ block, system })));
  it.each(programs.map(({ block, system }) => [`${block.file}:${block.line} (${system})`, block, system] as const))(
    '%s runs to completion and exits 0',
    async (_name, block, system) => {
      const dir = apps[system];
      const file = join(dir, `${block.file.replace(/[/.]/g, '_')}_${block.line}.${block.lang}`);
      writeFileSync(file, block.code);
      if (block.flags.includes('needs=redis')) redis ??= await startRedisServer();
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file], {
        cwd: dir,
        timeout: 120_000,
        // No server runs here: nothing may come from the environment of the run.
        env: {
          ...process.env,
          TOMOGRAPH_BACKENDS: '',
          TOMOGRAPH_STATSD_HOST: '',
          OTEL_EXPORTER_ZIPKIN_ENDPOINT: '',
          NODE_OPTIONS: '',
          REDIS_PORT: redis === undefined ? '' : String(redis.port),
        },
      }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(
          `${block.file}:${block.line} failed in the ${system} app:\n${error.stderr ?? ''}${error.stdout ?? ''}\n${error.message}`,
        );
      });
      // A block may make one of tomograph's told-once warnings on purpose (a statsd host with no daemon); nothing
      // else may reach stderr.
      expect(tomographWarnings(stderr).rest, stdout).toBe('');
    },
    180_000,
  );
});
