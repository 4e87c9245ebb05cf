// The packed tarball's framework entries: 'tomograph/fastify' and 'tomograph/koa' load under import and require,
// with types under every TypeScript resolution, while neither they nor 'tomograph' ever load Fastify or Koa (optional
// peers): in this consumer, requiring or importing either framework throws.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const FRAMEWORKS = ['fastify', 'koa'];
let consumer: string;

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: consumer, encoding: 'utf8', timeout: 30_000, stdio: 'pipe' });
}

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'tomograph-frameworks-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', consumer], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as { filename: string }[];
  const modules = join(consumer, 'node_modules');
  mkdirSync(join(modules, 'tomograph'), { recursive: true });
  execFileSync('tar', [
    '-xzf',
    join(consumer, packed[0]!.filename),
    '-C',
    join(modules, 'tomograph'),
    '--strip-components=1',
  ]);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'tomograph' || entry.startsWith('.') || FRAMEWORKS.includes(entry)) continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  // The frameworks are installed, and loading them fails loudly.
  for (const name of FRAMEWORKS) {
    mkdirSync(join(modules, name));
    writeFileSync(join(modules, name, 'package.json'), JSON.stringify({ name, version: '0.0.0', main: 'index.js' }));
    writeFileSync(join(modules, name, 'index.js'), `throw new Error('${name} was loaded');\n`);
  }
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}, 60_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

describe('the framework entries of the packed package', () => {
  it('never load Fastify or Koa, nor does tomograph itself, under import', () => {
    writeFileSync(
      join(consumer, 'entries.mjs'),
      [
        "const main = await import('tomograph');",
        "const fastify = await import('tomograph/fastify');",
        "const koa = await import('tomograph/koa');",
        'console.log(JSON.stringify({ main: typeof main.start, fastify: Object.keys(fastify), koa: Object.keys(koa) }));',
      ].join('\n'),
    );
    expect(JSON.parse(node(['entries.mjs']))).toEqual({
      main: 'function',
      fastify: ['fastifyTracing'],
      koa: ['koaTracing'],
    });
  });

  it('never load Fastify or Koa, nor does tomograph itself, under require; the plugin is a skip-override Fastify plugin', () => {
    writeFileSync(
      join(consumer, 'entries.cjs'),
      [
        "const main = require('tomograph');",
        "const { fastifyTracing } = require('tomograph/fastify');",
        "const { koaTracing } = require('tomograph/koa');",
        "const plugin = fastifyTracing({ serviceName: 'svc' });",
        'console.log(JSON.stringify({ main: typeof main.start, skipOverride: plugin[Symbol.for("skip-override")],',
        "  name: plugin[Symbol.for('fastify.display-name')], koa: typeof koaTracing({ serviceName: 'svc' }) }));",
      ].join('\n'),
    );
    expect(JSON.parse(node(['entries.cjs']))).toEqual({
      main: 'function',
      skipOverride: true,
      name: 'tomograph',
      koa: 'function',
    });
    // The poison is real: loading a framework here does throw.
    expect(() => node(['-e', "require('fastify')"])).toThrow(/fastify was loaded/);
  });

  it.each([
    ['nodenext, ES module', 'consumer.mts', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['nodenext, CommonJS', 'consumer.cts', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['node10', 'consumer.ts', { module: 'commonjs', moduleResolution: 'node' }],
    ['bundler', 'consumer.ts', { module: 'esnext', moduleResolution: 'bundler' }],
  ])(
    'type-checks the entries under %s resolution',
    (_name, file, options) => {
      writeFileSync(
        join(consumer, file),
        [
          "import { fastifyTracing, type FastifyTracingPlugin, type HttpServerTracingOptions } from 'tomograph/fastify';",
          "import { koaTracing, type KoaTracingMiddleware } from 'tomograph/koa';",
          "const options: HttpServerTracingOptions = { serviceName: 'svc', legacyHeader: true };",
          'const plugin: FastifyTracingPlugin = fastifyTracing(options);',
          'const mw: KoaTracingMiddleware = koaTracing(options);',
          'export { plugin, mw };',
        ].join('\n'),
      );
      writeFileSync(
        join(consumer, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            ...options,
            strict: true,
            noEmit: true,
            types: ['node'],
            skipLibCheck: true,
            ignoreDeprecations: '5.0',
          },
          files: [file],
        }),
      );
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      expect(() =>
        execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], {
          cwd: consumer,
          encoding: 'utf8',
          timeout: 110_000,
        }),
      ).not.toThrow();
    },
    120_000,
  );
});
