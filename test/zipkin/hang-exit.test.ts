// With a collector that never answers, an app's process still exits by itself within the documented bound.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChildApp } from '../support/child-app.js';
import { startZipkinCollector, type ZipkinCollector } from '../support/zipkin-collector.js';

const child = fileURLToPath(new URL('../fixtures/app-with-hanging-backend.ts', import.meta.url));
let collector: ZipkinCollector;

beforeAll(async () => {
  collector = await startZipkinCollector();
  await collector.setMode('hang');
});
afterAll(() => collector.stop());

function runChild(env: Record<string, string>, limitMs: number) {
  return runChildApp(child, env, limitMs);
}

describe('an app whose Zipkin collector hangs', () => {
  it('shuts down within shutdownTimeoutMillis (1000 ms), counts the dropped spans, and its process exits by itself', async () => {
    const result = await runChild({ ZIPKIN_URL: collector.spansUrl, CALL_SHUTDOWN: '1' }, 15_000);
    expect(result.killed).toBe(false);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.output) as { workMs: number; shutdownMs: number; warnings: string[] };
    expect(report.workMs).toBeLessThan(600);
    expect(report.shutdownMs).toBeLessThan(1300);
    expect(report.warnings).toContainEqual(
      expect.stringMatching(
        /^tomograph: 10 span\(s\) not sent to Zipkin \(Zipkin (export|shutdown) abandoned after 1000 ms\); 10 dropped in all$/,
      ),
    );
    console.log(`hang: child lived ${Math.round(result.ms)} ms, shutdown took ${Math.round(report.shutdownMs)} ms`);
  });

  it('exits by itself even when the app never calls shutdown', async () => {
    const before = collector.posts.length;
    const result = await runChild({ ZIPKIN_URL: collector.spansUrl }, 15_000);
    expect(result.killed).toBe(false);
    expect(result.code).toBe(0);
    // The export did start and hang: the process exited in spite of it, at the export's deadline.
    expect(collector.posts.slice(before)).toEqual([{ status: 0, message: 'never answered', spanCount: 0 }]);
    console.log(`hang without shutdown: child lived ${Math.round(result.ms)} ms`);
  });
});
