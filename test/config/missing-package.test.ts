// When configure(), createZipkinBackend() or createPropagator() needs an SDK package the app has not installed, the
// TomographError names the exact command for the app's line. (test/install proves it in a real app of each line.)
import { describe, expect, it } from 'vitest';
import { apiLine } from '../../src/sdk-line/api-line.js';
import { hasPeer, installCommandFor } from '../../src/sdk-line/peers.js';
import { LINE } from '../support/sdk-line.js';

describe('the package a user is told to install', () => {
  it('follows the API the app loaded', () => {
    expect(apiLine()).toBe(LINE);
  });

  it.each([
    ['2.x', '@opentelemetry/sdk-trace-base', 'npm install @opentelemetry/sdk-trace-base@^2.12.1'],
    ['2.x', '@opentelemetry/exporter-zipkin', 'npm install @opentelemetry/exporter-zipkin@^2.12.1'],
    ['2.x', '@opentelemetry/propagator-b3', 'npm install @opentelemetry/propagator-b3@^2.12.0'],
    ['3.x', '@opentelemetry/sdk-trace', 'npm install @opentelemetry/sdk-trace@^3.1.1'],
    ['3.x', '@opentelemetry/exporter-zipkin', 'npm install @opentelemetry/exporter-zipkin@^3.1.0'],
    ['3.x', '@opentelemetry/context-async-hooks', 'npm install @opentelemetry/context-async-hooks@^3.1.1'],
  ] as const)('on the %s line, %s: %s', (line, name, command) => {
    expect(installCommandFor(name, line)).toBe(command);
  });

  it("finds the line's trace package and, on the 3.x line, no sdk-trace-base", () => {
    expect(hasPeer(LINE === '3.x' ? '@opentelemetry/sdk-trace' : '@opentelemetry/sdk-trace-base')).toBe(true);
    if (LINE === '3.x') expect(hasPeer('@opentelemetry/sdk-trace-base')).toBe(false);
  });
});
