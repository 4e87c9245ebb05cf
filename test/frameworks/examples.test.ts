// The README's Fastify and Koa snippets are these example files, verbatim, and they run as written: started as a
// user would start them, called once with a caller's trace, stopped with SIGTERM; the request's trace is printed.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { get } from '../http/loopback.js';
import { freeTcpPort } from '../support/ports.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CALLER_TRACE = '463ac35c9f6413ad48485a3953bb6124';

async function untilListening(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      await get(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`${url} never answered`);
}

describe.each(['examples/fastify-app.ts', 'examples/koa-app.ts'])('%s', (file) => {
  it('is the README snippet, word for word', () => {
    const source = readFileSync(`${root}${file}`, 'utf8');
    expect(readFileSync(`${root}README.md`, 'utf8')).toContain(`\`\`\`ts example=${file}\n${source}\`\`\``);
  });

  it("runs as written: the request continues its caller and the handler's span and note are under it; SIGTERM exits 0", async () => {
    const port = await freeTcpPort();
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        TOMOGRAPH_BACKENDS: '',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: '',
        TOMOGRAPH_STATSD_HOST: '',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await untilListening(`http://127.0.0.1:${port}/ready`);
      const reply = await get(`http://127.0.0.1:${port}/items/7`, {
        traceparent: `00-${CALLER_TRACE}-a2fb4a1d1a96d312-01`,
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('7');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const ours = stdout.split(/^(?=trace )/m).find((block) => block.startsWith(`trace ${CALLER_TRACE}`)) ?? '';
    expect(ours).toMatch(/shop api {2}HTTP/);
    expect(ours).toMatch(/shop db {5}select item/);
    expect(ours).toContain('· item found');
  }, 60_000);
});
