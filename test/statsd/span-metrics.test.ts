// The metrics a span-to-metrics user compares with the Collector's spanmetrics and Datadog's trace metrics: call and
// error counters, the duration as ms/h/d, extra dimensions, a per-metric series bound with an overflow series, and a
// client-side sample rate. Pure mapping first, then the DogStatsD forms as they reach a UDP socket on loopback.
import { createSocket, type Socket } from 'node:dgram';
import { StatsD } from 'hot-shots';
import { SpanKind } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { configure } from 'tomograph';
import { formatMetricLine, spanToMetrics, type MappingOptions } from '../../src/exporters/statsd/metrics.js';
import { readSpanFacts, type ExportableSpan } from '../../src/exporters/statsd/span-facts.js';
import { watchHost, type HostWatch } from './pipelines.js';

const LEGACY: MappingOptions = { naming: 'legacy', notes: 'by-value', fractionalDurations: false, prefix: '' };
const TAGS: MappingOptions = { ...LEGACY, naming: 'tags', errorCounter: true };

function span(overrides: Partial<Record<keyof ExportableSpan, unknown>>): ExportableSpan {
  return {
    name: 'GET /users/:id',
    kind: SpanKind.SERVER,
    duration: [0, 12_000_000],
    attributes: { 'service.name': 'api', 'server.address': 'h', 'server.port': 80 },
    events: [],
    status: { code: 0 },
    ...overrides,
  } as ExportableSpan;
}
const failed = (code: number | undefined, extra: Record<string, unknown> = {}): ExportableSpan =>
  span({
    status: { code: 2 },
    attributes: {
      'service.name': 'api',
      'server.address': 'h',
      'server.port': 80,
      ...(code === undefined ? {} : { 'http.response.status_code': code }),
      ...extra,
    },
  });

function linesOf(s: ExportableSpan, options: MappingOptions, dimensions: readonly string[] = []): string[] {
  return spanToMetrics(readSpanFacts(s, 'thishost', dimensions), options, { clampedDurations: 0, namerErrors: 0 }).map(
    (m) => formatMetricLine(m),
  );
}

const BASE = 'service:api,span:GET_/users/_id,endpoint:h_80,kind:server';

describe('tag mode: calls, errors and duration per span, as spanmetrics gives them', () => {
  it('a span that succeeded gives its duration and one call, and no error', () => {
    expect(linesOf(span({}), TAGS)).toEqual([
      `span.duration:12|ms|#${BASE},status:unset`,
      `span.calls:1|c|#${BASE},status:unset`,
    ]);
  });

  it('a span with status ERROR also counts an error, tagged with the class of its HTTP status code', () => {
    expect(linesOf(failed(503), TAGS)).toEqual([
      `span.duration:12|ms|#${BASE},status:error`,
      `span.calls:1|c|#${BASE},status:error`,
      `span.errors:1|c|#${BASE},status:error,http.status_class:5xx`,
    ]);
    // The pre-1.21 attribute and a code given as a string count too; no code, no class.
    expect(linesOf(failed(undefined, { 'http.status_code': '404' }), TAGS).at(-1)).toBe(
      `span.errors:1|c|#${BASE},status:error,http.status_class:4xx`,
    );
    expect(linesOf(failed(undefined), TAGS).at(-1)).toBe(`span.errors:1|c|#${BASE},status:error`);
  });

  it('a 5xx span whose status is not ERROR counts no error: the status decides, the code only classifies', () => {
    const ok = span({
      attributes: { 'service.name': 'api', 'server.address': 'h', 'server.port': 80, 'http.response.status_code': 500 },
    });
    expect(linesOf(ok, TAGS).some((line) => line.startsWith('span.errors'))).toBe(false);
  });

  it("the duration goes out as the type chosen: 'h' (histogram) or 'd' (DogStatsD distribution)", () => {
    expect(linesOf(span({}), { ...TAGS, durationType: 'h' })[0]).toBe(`span.duration:12|h|#${BASE},status:unset`);
    expect(linesOf(span({}), { ...TAGS, durationType: 'd' })[0]).toBe(`span.duration:12|d|#${BASE},status:unset`);
  });

  it('the attributes named in dimensions become tags after the default ones, in that order; a missing one is left out', () => {
    const routed = span({
      attributes: {
        'service.name': 'api',
        'server.address': 'h',
        'server.port': 80,
        'http.route': '/users/:id',
        'http.request.method': 'GET',
      },
    });
    expect(linesOf(routed, TAGS, ['http.request.method', 'http.route', 'tenant'])[1]).toBe(
      `span.calls:1|c|#${BASE},status:unset,http.request.method:GET,http.route:/users/_id`,
    );
  });

  it('a sample rate below 1 goes on every line as |@rate, before the tags (DogStatsD) or after the type (Telegraf)', () => {
    const metrics = spanToMetrics(
      readSpanFacts(span({}), 'h'),
      { ...TAGS, sampleRate: 0.1 },
      { clampedDurations: 0, namerErrors: 0 },
    );
    expect(formatMetricLine(metrics[1]!)).toBe(`span.calls:1|c|@0.1|#${BASE},status:unset`);
    expect(formatMetricLine(metrics[1]!, 'telegraf')).toBe(
      'span.calls,service=api,span=GET_/users/_id,endpoint=h_80,kind=server,status=unset:1|c|@0.1',
    );
  });
});

describe('legacy naming: nothing a legacy dashboard reads changes', () => {
  it('an ERROR span gives exactly the legacy lines by default', () => {
    expect(linesOf(failed(500), LEGACY)).toEqual([
      'api-h-80.GET-/users/_id:12|ms',
      'api-h-80.GET-/users/_id.start:1|c',
      'api-h-80.GET-/users/_id.stop:1|c',
    ]);
  });

  it('errorCounter: true adds one <…>.errors counter after stop, for ERROR spans only', () => {
    expect(linesOf(failed(500), { ...LEGACY, errorCounter: true }).at(-1)).toBe('api-h-80.GET-/users/_id.errors:1|c');
    expect(linesOf(span({}), { ...LEGACY, errorCounter: true })).toHaveLength(3);
  });

  it("a naming function is asked for metric 'error' with errorCounter", () => {
    const named = linesOf(failed(500), {
      ...LEGACY,
      errorCounter: true,
      naming: ({ metric, span: s }) => `${s.serviceName}.${metric}`,
    });
    expect(named).toContain('api.error:1|c');
  });
});

describe('options are checked when the exporter is made', () => {
  const cases: Array<[string, object, RegExp]> = [
    ['an unknown duration type', { durationType: 'timer' }, /'durationType' must be one of 'ms', 'h', 'd'/],
    ["a distribution in Telegraf's form", { naming: 'tags', tagFormat: 'telegraf', durationType: 'd' }, /Telegraf/],
    ['a sample rate of 0', { sampleRate: 0 }, /'sampleRate' must be a number greater than 0 and at most 1/],
    ['a sample rate above 1', { sampleRate: 1.5 }, /'sampleRate'/],
    ['a sample rate as text', { sampleRate: '0.1' }, /'sampleRate'/],
    ['dimensions without tag mode', { dimensions: ['http.route'] }, /'dimensions' are tags: they need naming 'tags'/],
    [
      'dimensions that are not names',
      { naming: 'tags', dimensions: ['http.route', 3] },
      /'dimensions' must be an array/,
    ],
    ['an errorCounter that is not a boolean', { errorCounter: 'yes' }, /'errorCounter' must be true or false/],
    ['a series bound of 0', { naming: 'tags', maxSeriesPerMetric: 0 }, /'maxSeriesPerMetric'/],
    ['a resource wait of 0', { resourceWaitMillis: 0 }, /'resourceWaitMillis'/],
  ];
  for (const [what, options, message] of cases) {
    it(`${what} throws TomographError INVALID_OPTION`, () => {
      let caught: unknown;
      try {
        new StatsdSpanExporter(options as never);
      } catch (error) {
        caught = error;
      }
      expect((caught as Error | undefined)?.message).toMatch(message);
      expect((caught as { code?: string }).code).toBe('INVALID_OPTION');
    });
  }
});

describe('configure() checks them too, before anything is registered', () => {
  it("a bad statsd option is configure()'s INVALID_OPTION, and a later configure() still works", async () => {
    expect(() =>
      configure({ backends: ['statsd'], statsd: { naming: 'tags', durationType: 'histogram' as never } }),
    ).toThrow(/'durationType'/);
    const tomograph = configure({ backends: ['statsd'], statsd: { naming: 'tags', durationType: 'h', port: 9 } });
    await tomograph.shutdown();
  });
});

describe('the DogStatsD forms on the wire (a UDP capture on loopback)', () => {
  let socket: Socket;
  let lines: string[];
  let host: HostWatch;
  beforeEach(async () => {
    host = watchHost();
    lines = [];
    socket = createSocket('udp4');
    socket.on('message', (message) => lines.push(...message.toString().split('\n')));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  });
  afterEach(async () => {
    host.restore();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  });

  async function send(
    options: ConstructorParameters<typeof StatsdSpanExporter>[0],
    spans: ExportableSpan[],
    random?: () => number,
  ): Promise<StatsdSpanExporter> {
    const exporter = new StatsdSpanExporter(
      { host: '127.0.0.1', port: socket.address().port, ...options },
      random === undefined ? {} : { random },
    );
    await new Promise((resolve) => exporter.export(spans, resolve));
    await exporter.shutdown();
    const deadline = Date.now() + 3000;
    while (lines.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    return exporter;
  }

  it('distribution, sample rate and dimensions arrive as one DogStatsD agent reads them', async () => {
    let draw = 0;
    // Every other span is drawn in.
    const exporter = await send(
      { naming: 'tags', durationType: 'd', sampleRate: 0.5, dimensions: ['http.route'] },
      [failed(502, { 'http.route': '/users/:id' }), span({}), failed(502, { 'http.route': '/users/:id' }), span({})],
      () => (draw++ % 2 === 0 ? 0.25 : 0.75),
    );
    const tags = `${BASE},status:error,http.route:/users/_id`;
    expect(lines).toEqual([
      `span.duration:12|d|@0.5|#${tags}`,
      `span.calls:1|c|@0.5|#${tags}`,
      `span.errors:1|c|@0.5|#${tags},http.status_class:5xx`,
      `span.duration:12|d|@0.5|#${tags}`,
      `span.calls:1|c|@0.5|#${tags}`,
      `span.errors:1|c|@0.5|#${tags},http.status_class:5xx`,
    ]);
    expect(exporter.getStats()).toMatchObject({ spansSent: 2, spansSampledOut: 2, metricsSent: 6 });
  });

  it("through a hot-shots client of the user's own: its prefix applies, a sampled line is not sampled again, 'h' and 'd' keep their type", async () => {
    const errors: Error[] = [];
    const client = new StatsD({
      host: '127.0.0.1',
      port: socket.address().port,
      prefix: 'mine.',
      errorHandler: (e) => errors.push(e),
      datadog: false,
    });
    const exporter = new StatsdSpanExporter(
      { client, naming: 'tags', sampleRate: 0.5, durationType: 'd' },
      { random: () => 0.1 },
    );
    await new Promise((resolve) => exporter.export([span({})], resolve));
    const histograms = new StatsdSpanExporter({ client, naming: 'tags', durationType: 'h', errorCounter: false });
    await new Promise((resolve) => histograms.export([span({})], resolve));
    await exporter.shutdown();
    await histograms.shutdown();
    const deadline = Date.now() + 3000;
    while (lines.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise<void>((resolve) => client.close(() => resolve()));
    expect(lines).toEqual([
      `mine.span.duration:12|d|@0.5|#${BASE},status:unset`,
      `mine.span.calls:1|c|@0.5|#${BASE},status:unset`,
      `mine.span.duration:12|h|#${BASE},status:unset`,
      `mine.span.calls:1|c|#${BASE},status:unset`,
    ]);
    expect(errors).toEqual([]);
  });

  it('past maxSeriesPerMetric a new tag set still counts and times, on the overflow series of its metric', async () => {
    const spans = ['a', 'b', 'c'].map((name) => span({ name }));
    const exporter = await send({ naming: 'tags', maxSeriesPerMetric: 2, durationType: 'h' }, spans);
    expect(lines.slice(-2)).toEqual([
      'span.duration:12|h|#otel.metric.overflow:true',
      'span.calls:1|c|#otel.metric.overflow:true',
    ]);
    expect(lines.filter((line) => line.includes('span:b'))).toHaveLength(2);
    expect(exporter.getStats()).toMatchObject({ spansSent: 3, metricsOverflowed: 2 });
    expect(host.warnings.some((w) => w.includes('maxSeriesPerMetric'))).toBe(true);
  });
});
