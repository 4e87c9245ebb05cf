// The packed tarball is what users install: both module systems load it, both entries, with declarations.
// Its dependencies are linked from this checkout's node_modules, so the test needs no network.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHILD_HANG_MILLIS, PACKED_TEST_MILLIS, packTarball } from '../support/packed.js';

vi.setConfig({ testTimeout: PACKED_TEST_MILLIS, hookTimeout: PACKED_TEST_MILLIS });

const root = resolve(import.meta.dirname, '../..');
let consumer: string;

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: consumer, encoding: 'utf8', timeout: CHILD_HANG_MILLIS });
}

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'tomograph-consumer-'));
  const tarball = packTarball(consumer).path;
  const modules = join(consumer, 'node_modules');
  mkdirSync(join(modules, 'tomograph'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'tomograph'), '--strip-components=1']);
  // Everything the package needs at run time, as the user's install would provide it.
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'tomograph' || entry.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
});

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the packed package', () => {
  it('imports as ESM with the facade, configure and the exporters as named exports', () => {
    writeFileSync(
      join(consumer, 'esm.mjs'),
      [
        "import * as tomograph from 'tomograph';",
        "import * as statsd from 'tomograph/statsd';",
        'console.log(JSON.stringify({ names: Object.keys(tomograph).sort(), statsd: Object.keys(statsd).sort() }));',
      ].join('\n'),
    );
    const { names } = JSON.parse(node(['esm.mjs'])) as { names: string[] };
    expect(names).toEqual(
      expect.arrayContaining([
        'start',
        'stop',
        'annotate',
        'tag',
        'getTraceInfo',
        'traced',
        'configure',
        'TomographError',
      ]),
    );
  });

  it('requires as CommonJS, with the same names, and runs a span end to end', () => {
    writeFileSync(
      join(consumer, 'cjs.cjs'),
      [
        "const tomograph = require('tomograph');",
        "require('tomograph/statsd');",
        'const out = [];',
        "const handle = tomograph.configure({ backends: ['log'], log: { format: 'lines', write: (t) => out.push(t) } });",
        "tomograph.start('svc', 'from cjs'); tomograph.stop('from cjs');",
        'handle.shutdown().then(() => console.log(JSON.stringify({ names: Object.keys(tomograph).sort(), out })));',
      ].join('\n'),
    );
    const { names, out } = JSON.parse(node(['cjs.cjs'])) as { names: string[]; out: string[] };
    expect(names).toEqual(
      expect.arrayContaining([
        'start',
        'stop',
        'annotate',
        'tag',
        'getTraceInfo',
        'traced',
        'configure',
        'TomographError',
      ]),
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^svc from cjs [\d.]+ ms trace=[0-9a-f]{32} span=[0-9a-f]{16}\n$/);
  });

  it('has one StatsdSpanExporter and one TomographError across both entries, under import and under require', () => {
    const probe = (load: (entry: string) => string): string[] => [
      `const main = ${load('tomograph')}; const alone = ${load('tomograph/statsd')};`,
      'const exporter = new alone.StatsdSpanExporter({ port: 9 });',
      'let error; try { main.configure({ nope: 1 }); } catch (e) { error = e; }',
      'console.log(JSON.stringify({ sameClass: main.StatsdSpanExporter === alone.StatsdSpanExporter,',
      '  instance: exporter instanceof main.StatsdSpanExporter, error: error instanceof main.TomographError }));',
      'exporter.shutdown();',
    ];
    writeFileSync(join(consumer, 'same-esm.mjs'), probe((entry) => `await import('${entry}')`).join('\n'));
    writeFileSync(join(consumer, 'same-cjs.cjs'), probe((entry) => `require('${entry}')`).join('\n'));
    const expected = { sameClass: true, instance: true, error: true };
    expect(JSON.parse(node(['same-esm.mjs']))).toEqual(expected);
    expect(JSON.parse(node(['same-cjs.cjs']))).toEqual(expected);
  });

  it('ships type declarations for both module systems and both entries', () => {
    const files = readdirSync(join(consumer, 'node_modules', 'tomograph', 'dist'));
    expect(files).toEqual(
      expect.arrayContaining([
        'index.d.ts',
        'index.d.cts',
        'statsd.d.ts',
        'statsd.d.cts',
        'index.js',
        'index.cjs',
        'statsd.js',
        'statsd.cjs',
      ]),
    );
    writeFileSync(
      join(consumer, 'consumer.mts'),
      [
        "import { start, stop, configure, type ConfigureOptions } from 'tomograph';",
        "const options: ConfigureOptions = { backends: ['log'] };",
        "configure(options); start('svc', 'typed'); stop('typed');",
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['consumer.mts'],
      }),
    );
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer], {
      cwd: consumer,
      encoding: 'utf8',
      timeout: CHILD_HANG_MILLIS,
    });
  });

  it('gives stack traces that point at lines of the shipped files (no source map needed)', () => {
    // The package ships no source maps: its build is not minified, so a frame in tomograph names a file and a line
    // that the user can open, and that line is the code that threw.
    for (const [file, load] of [
      ['stack.mjs', "await import('tomograph')"],
      ['stack.cjs', "require('tomograph')"],
    ] as const) {
      writeFileSync(
        join(consumer, file),
        [
          `const { configure } = ${load};`,
          "try { configure({ backends: ['log'], shutdownTimeoutMillis: -1 }); } catch (error) { console.log(error.stack); }",
        ].join('\n'),
      );
      const stack = node([file]);
      const frame = /node_modules\/tomograph\/(dist\/[^:)]+):(\d+):\d+/.exec(stack);
      expect(frame, stack).not.toBeNull();
      const line = readFileSync(join(consumer, 'node_modules', 'tomograph', frame![1]!), 'utf8').split('\n')[
        Number(frame![2]) - 1
      ];
      expect(line).toContain('TomographError');
    }
  });
});
