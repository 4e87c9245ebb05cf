// Two copies of tomograph in one process — the ES-module build `import`ed by the app and the CommonJS build a
// dependency `require`s, or two versions in the tree — share one context core (one notion of frames): spans from
// either copy parent each other, either copy's stop() ends a span the other started, and a loop of awaited jobs
// alternating between them stays flat in lookups and in memory over 100,000 jobs.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { trace } from '@opentelemetry/api';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as esm from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { parentIdOf, SDK_LINES, setupOtel, type OtelHarness } from '../support/otel.js';
import { buildSecondCopy, requireCopy, type TomographCopy } from '../support/second-copy.js';

let copyPath: string;
let cjs: TomographCopy;
beforeAll(async () => {
  copyPath = await buildSecondCopy();
  cjs = requireCopy(copyPath);
});

describe.each(SDK_LINES)('with the OTel SDK %s', (line) => {
  let otel: OtelHarness;
  let diagnostics: DiagCapture;
  beforeEach(() => {
    otel = setupOtel(line);
    diagnostics = captureDiag();
  });
  afterEach(async () => {
    diagnostics.restore();
    await otel.teardown();
  });

  it('are two module instances that parent each other, with native spans between them', async () => {
    expect(cjs.start).not.toBe(esm.start);
    esm.start('app', 'request');
    await null;
    cjs.start('library', 'query');
    const native = otel.tracer.startSpan('native');
    native.end();
    esm.start('app', 'render');
    esm.annotate('on render');
    cjs.stop('render');
    cjs.annotate('on query');
    esm.stop('query');
    cjs.stop('request');
    expect(trace.getActiveSpan()).toBeUndefined();
    const id = (name: string) => otel.span(name).spanContext().spanId;
    expect(parentIdOf(otel.span('query'))).toBe(id('request'));
    expect(parentIdOf(otel.span('native'))).toBe(id('query'));
    expect(parentIdOf(otel.span('render'))).toBe(id('query'));
    expect(otel.span('render').events.map((e) => e.name)).toEqual(['on render']);
    expect(otel.span('query').events.map((e) => e.name)).toEqual(['on query']);
    expect(diagnostics.warnings()).toEqual([]);
  });

  it("hide a span either copy stopped from contexts the other captured, and keep an awaited helper's caller its own span", async () => {
    const helper = async () => {
      cjs.start('library', 'helper');
      await new Promise((resolve) => setTimeout(resolve, 1));
      cjs.stop('helper');
    };
    esm.start('app', 'request');
    const request = trace.getActiveSpan();
    for (let i = 0; i < 100; i++) await helper();
    expect(trace.getActiveSpan()).toBe(request);
    esm.stop('request');
    const helpers = otel.spans().filter((s) => s.name === 'helper');
    expect(helpers).toHaveLength(100);
    for (const span of helpers) expect(parentIdOf(span)).toBe(request!.spanContext().spanId);
  });

  it('traced() of one copy isolates the start() of the other', async () => {
    const wrapped = esm.traced(
      'app',
      'call',
    )(async (i: number) => {
      cjs.start('library', `inner ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      cjs.stop(`inner ${i}`);
    });
    await Promise.all([0, 1, 2].map((i) => wrapped(i)));
    const calls = otel
      .spans()
      .filter((s) => s.name === 'call')
      .map((s) => s.spanContext().spanId);
    for (const i of [0, 1, 2]) expect(calls).toContain(parentIdOf(otel.span(`inner ${i}`)));
    expect(new Set([0, 1, 2].map((i) => parentIdOf(otel.span(`inner ${i}`)))).size).toBe(3);
  });
});

describe('a loop of 100,000 awaited jobs alternating between the two copies', () => {
  it('keeps lookups and the heap flat, parents each inner span to its job, and throws nothing', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/facade/fixtures/two-copies-job-loop.ts', copyPath],
      { cwd: root, timeout: 170_000 },
    );
    const result = JSON.parse(stdout) as {
      before: number;
      after: number;
      spans: number;
      roots: number;
      wrongParents: number;
      threw: number;
      walkedFirst: number;
      walkedLast: number;
      activeAfter: string | null;
    };
    expect(result.threw).toBe(0);
    expect(result.spans).toBe(210_000);
    expect(result.roots).toBe(105_000);
    expect(result.wrongParents).toBe(0);
    expect(result.activeAfter).toBeNull();
    // Lookups step over as many stopped frames in the last 10,000 jobs as in the first: no chain grows.
    expect(result.walkedLast).toBeLessThanOrEqual(result.walkedFirst * 1.1);
    expect(result.after - result.before).toBeLessThan(8 * 2 ** 20);
  }, 180_000);
});
