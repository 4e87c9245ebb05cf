// Every example runs to completion, as a user would run it, so that none of them rots.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

async function example(file: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    timeout: 60_000,
    env: {
      ...process.env,
      TOMOGRAPH_BACKENDS: '',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: '',
      TOMOGRAPH_STATSD_HOST: '',
      ...env,
    },
  });
  return stdout;
}

describe('examples', () => {
  it('the demo shows the legacy trace as a waterfall with both services, the note and the tags', async () => {
    const out = await example('examples/demo.ts');
    expect(out).toMatch(/trace [0-9a-f]{32} · 2 spans · 2 services/);
    expect(out).toMatch(/test client {2}client request +\|█+/);
    expect(out).toMatch(/test server {4}server response +\| *█+/);
    expect(out).toContain('· this is an annotation');
    expect(out).toContain('this is a string="foo", this is an int=42, this is a double=3.14159');
    // What the embedded statsd received: the legacy names, each with its Graphite path.
    expect(out).toMatch(
      /test-client-openstack1-0\.client-request:\d+\|ms +→ +stats\.timers\.test-client-openstack1-0\.client-request\.mean/,
    );
    expect(out).toContain(
      'test-server-openstack1-80.server-response.this-is-an-annotation:1|c  →  stats_counts.test-server-openstack1-80.server-response.this-is-an-annotation',
    );
    expect(out.match(/^ {2}test-\S+:1\|c /gm)).toHaveLength(5);
  });

  it('the legacy client/server example prints its trace by default', async () => {
    const out = await example('examples/legacy-client-server.ts');
    expect(out).toMatch(/· 2 spans · 2 services/);
  });

  it('the gradual migration shares one trace between legacy and OTel-native code, with legacy metric names for both', async () => {
    const out = await example('examples/gradual-migration.ts');
    expect(out).toMatch(/· 2 spans · 2 services/);
    // The root's bar starts the trace; on SDK 3 it may stop short of the end: SDK 3 starts each span at Date.now(),
    // whole milliseconds, with no clock shared along the trace, so a child may appear to end up to 1 ms after its
    // parent (a few cells of a 7 ms trace).
    expect(out).toMatch(/nova api {6}GET \/servers +\|█+ *\|/);
    expect(out).toMatch(/nova compute {4}list servers +\|/);
    expect(out).toContain('nova-compute-10-0-0-2-8775.list-servers.query-sent:1|c');
    expect(out).toContain('nova-api-10-0-0-1-8774.GET-/servers.servers-listed:1|c');
    expect(out).toMatch(/nova-compute-10-0-0-2-8775\.list-servers:\d+\|ms/);
  });
});
