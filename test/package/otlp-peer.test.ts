// The OTLP exporter is an optional peer dependency, loaded from the app's installation only when the 'otlp' backend
// is chosen: the packed tarball, under ESM and CommonJS, in an app that has the exporter packages and in one that
// has not. Dependencies are linked from this checkout's node_modules, so the test needs no network.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { context } from '@opentelemetry/api';
import { CHILD_HANG_MILLIS, PACKED_TEST_MILLIS, packTarball } from '../support/packed.js';

vi.setConfig({ testTimeout: PACKED_TEST_MILLIS, hookTimeout: PACKED_TEST_MILLIS });

const root = resolve(import.meta.dirname, '../..');
const OTLP_PACKAGES = ['exporter-trace-otlp-proto', 'exporter-trace-otlp-http'];
let workspace: string;

/** An app folder with the packed tomograph and every package of this checkout but those `without`. */
function app(name: string, tarball: string, without: readonly string[]): string {
  const dir = join(workspace, name);
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'tomograph'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'tomograph'), '--strip-components=1']);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'tomograph' || entry.startsWith('.')) continue;
    if (entry !== '@opentelemetry') {
      symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
      continue;
    }
    mkdirSync(join(modules, entry));
    for (const scoped of readdirSync(join(root, 'node_modules', entry))) {
      if (!without.includes(scoped))
        symlinkSync(join(root, 'node_modules', entry, scoped), join(modules, entry, scoped));
    }
  }
  return dir;
}

const SCRIPT = [
  "tomograph.configure({ backends: ['otlp'], otlp: { url: 'http://127.0.0.1:9/v1/traces', protocol: process.argv[2], timeoutMillis: 200 } })",
  '  .shutdown().then(() => console.log(JSON.stringify({ configured: true })));',
].join('\n');
const CATCHING = (script: string) =>
  `try {\n${script}\n} catch (error) {\n  console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }));\n}`;

function run(dir: string, file: string, protocol: string): unknown {
  return JSON.parse(
    execFileSync(process.execPath, [file, protocol], { cwd: dir, encoding: 'utf8', timeout: CHILD_HANG_MILLIS }),
  );
}

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'tomograph-otlp-peer-'));
  const tarball = packTarball(workspace).path;
  for (const [name, without] of [
    ['with-otlp', []],
    ['without-otlp', OTLP_PACKAGES],
  ] as const) {
    const dir = app(name, tarball, without);
    writeFileSync(join(dir, 'esm.mjs'), `import * as tomograph from 'tomograph';\n${CATCHING(SCRIPT)}`);
    writeFileSync(join(dir, 'cjs.cjs'), `const tomograph = require('tomograph');\n${CATCHING(SCRIPT)}`);
  }
});

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe.each(['esm.mjs', 'cjs.cjs'])('the packed package (%s)', (file) => {
  it.each(['http/protobuf', 'http/json'])("loads the app's OTLP exporter for %s", (protocol) => {
    expect(run(join(workspace, 'with-otlp'), file, protocol)).toEqual({ configured: true });
  });

  it.each([
    ['http/protobuf', '@opentelemetry/exporter-trace-otlp-proto'],
    ['http/json', '@opentelemetry/exporter-trace-otlp-http'],
  ])('refuses %s without its exporter package, naming the package to install', (protocol, name) => {
    expect(run(join(workspace, 'without-otlp'), file, protocol)).toEqual({
      name: 'TomographError',
      code: 'MISSING_PACKAGE',
      message: `the 'otlp' backend with protocol ${protocol} needs the package ${name}: npm install ${name}@${(context as { attach?: unknown }).attach === undefined ? '^0.223.1' : '^0.301.0'}`,
    });
  });

  it('still configures the other backends without the OTLP packages', () => {
    const dir = join(workspace, 'without-otlp');
    writeFileSync(
      join(dir, `log-${file}`),
      `${file.endsWith('.mjs') ? "import * as tomograph from 'tomograph';" : "const tomograph = require('tomograph');"}\n` +
        "tomograph.configure({ backends: ['log'], log: { write: () => undefined } }).shutdown().then(() => console.log(JSON.stringify({ configured: true })));",
    );
    expect(run(dir, `log-${file}`, '')).toEqual({ configured: true });
  });
});
