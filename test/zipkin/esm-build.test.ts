// The Zipkin bound holds whichever build of the line's exporter sends: here the stock ZipkinExporter as an ES module
// imports it (exporter-zipkin 3.x's ESM build, which does `import * as http` and so never saw a patched
// http.request; on the 2.x line the package's CommonJS main). A collector that reads the POST and never answers:
// the export fails at the bound and its socket is destroyed, so nothing keeps the process alive.
import { createRequire } from 'node:module';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundedZipkinExporter, type StockZipkinExporter } from '../../src/exporters/zipkin/bounded-exporter.js';
import { LINE, newMemoryExporter, newProvider, simpleProcessor } from '../support/sdk-line.js';
import { startZipkinCollector, type ZipkinCollector } from '../support/zipkin-collector.js';

let collector: ZipkinCollector;
beforeAll(async () => {
  collector = await startZipkinCollector();
  await collector.setMode('hang');
});
afterAll(() => collector.stop());

describe('the Zipkin bound with the exporter an ES module imports', () => {
  it(`abandons the hung request of the ${LINE === '3.x' ? 'ESM build (3.x)' : 'CommonJS main (2.x)'} at the bound and reports the export failed`, async () => {
    // The class this ES module got is not the one require() gives on a dual-build line.
    const required = (createRequire(import.meta.url)('@opentelemetry/exporter-zipkin') as { ZipkinExporter: unknown })
      .ZipkinExporter;
    expect(required === ZipkinExporter).toBe(LINE !== '3.x');

    const memory = newMemoryExporter();
    const provider = newProvider({
      resource: resourceFromAttributes({ 'service.name': 'esm' }),
      spanProcessors: [simpleProcessor(memory)],
    });
    provider.getTracer('t').startSpan('hung').end();
    const exporter = new BoundedZipkinExporter({
      inner: new ZipkinExporter({ url: collector.spansUrl }) as unknown as StockZipkinExporter,
      timeoutMillis: 300,
    });
    const began = performance.now();
    const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
      exporter.export(memory.getFinishedSpans(), resolve),
    );
    const tookMs = performance.now() - began;
    expect(result.code).toBe(1);
    expect(result.error?.message).toBe('Zipkin export abandoned after 300 ms');
    expect(tookMs).toBeGreaterThanOrEqual(290);
    expect(tookMs).toBeLessThan(2000);
    expect(exporter.droppedSpanCount).toBe(1);
    // The collector read the POST: the request did go out, and it was this one that was cut.
    expect(collector.posts.at(-1)?.status).toBe(0);
  });
});
