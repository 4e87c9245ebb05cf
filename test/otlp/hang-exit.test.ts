// With an OTLP receiver that never answers, an app's process still exits by itself within the documented bound.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChildApp } from '../support/child-app.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

const child = fileURLToPath(new URL('../fixtures/app-with-hanging-backend.ts', import.meta.url));
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  await receiver.setMode('hang');
});
afterAll(() => receiver.stop());

describe.each(['http/protobuf', 'http/json'])('an app whose OTLP receiver hangs (%s)', (protocol) => {
  it('shuts down within shutdownTimeoutMillis (1000 ms), counts the dropped spans, and its process exits by itself', async () => {
    const result = await runChildApp(
      child,
      { BACKEND: 'otlp', OTLP_URL: receiver.tracesUrl, OTLP_PROTOCOL: protocol, CALL_SHUTDOWN: '1' },
      15_000,
    );
    expect(result.killed).toBe(false);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.output) as { workMs: number; shutdownMs: number; warnings: string[] };
    expect(report.workMs).toBeLessThan(600);
    expect(report.shutdownMs).toBeLessThan(1300);
    expect(report.warnings).toContainEqual(
      expect.stringMatching(/^tomograph: 10 span\(s\) not sent over OTLP \(.+\); 10 dropped in all$/),
    );
    console.log(
      `${protocol} hang: child lived ${Math.round(result.ms)} ms, shutdown took ${Math.round(report.shutdownMs)} ms`,
    );
  });

  it('exits by itself even when the app never calls shutdown', async () => {
    const result = await runChildApp(
      child,
      { BACKEND: 'otlp', OTLP_URL: receiver.tracesUrl, OTLP_PROTOCOL: protocol },
      15_000,
    );
    expect(result.killed).toBe(false);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.output)).toEqual({ workMs: expect.any(Number) });
    console.log(`${protocol} hang without shutdown: child lived ${Math.round(result.ms)} ms`);
  });
});
