// Fast, table-driven tests of the pure mapping: span (SDK 1.x and 2.x, or hand-made) -> metric lines, sanitising,
// duration clamping, tag mode, note counting, the name budget and option validation. No sockets.
import { SDK_LINES, type SdkLine } from '../support/otel.js';
import { SpanKind } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { newProvider, simpleProcessor, newMemoryExporter } from '../support/sdk-line.js';
import { Resource as Resource1 } from 'resources-1';
import {
  BasicTracerProvider as BasicTracerProvider1,
  InMemorySpanExporter as InMemorySpanExporter1,
  SimpleSpanProcessor as SimpleSpanProcessor1,
} from 'sdk-trace-base-1';
import { describe, expect, it } from 'vitest';
import { StatsdSpanExporter } from 'tomograph/statsd';
import {
  formatMetricLine,
  metricLineLength,
  spanToMetrics,
  type MappingOptions,
  type StatsdMetric,
} from '../../src/exporters/statsd/metrics.js';
import { NameBudget } from '../../src/exporters/statsd/name-budget.js';
import { sanitizeName } from '../../src/exporters/statsd/names.js';
import { readSpanFacts, type ExportableSpan } from '../../src/exporters/statsd/span-facts.js';
import { GOLDEN, hrAfter, recordNative, type GoldenCase } from './golden.js';

const LEGACY: MappingOptions = { naming: 'legacy', notes: 'by-value', fractionalDurations: false, prefix: '' };

function linesOf(span: ExportableSpan, options: MappingOptions = LEGACY, hostName = 'thishost'): string[] {
  const problems = { clampedDurations: 0, namerErrors: 0 };
  return spanToMetrics(readSpanFacts(span, hostName), options, problems).map((m) => formatMetricLine(m));
}

/** Finished spans of a golden case recorded by OTel-native code under one SDK line. */
function nativeSpans(line: SdkLine, golden: GoldenCase): ExportableSpan[] {
  const resource = { 'service.name': golden.span.serviceName };
  if (line !== '1.x') {
    const memory = newMemoryExporter();
    const provider = newProvider({
      resource: resourceFromAttributes(resource),
      spanProcessors: [simpleProcessor(memory)],
    });
    recordNative(provider.getTracer('native'), golden);
    return memory.getFinishedSpans();
  }
  const memory = new InMemorySpanExporter1();
  const provider = new BasicTracerProvider1({ resource: new Resource1(resource) });
  provider.addSpanProcessor(new SimpleSpanProcessor1(memory));
  recordNative(provider.getTracer('native') as never, golden);
  return memory.getFinishedSpans() as unknown as ExportableSpan[];
}

/** A hand-made finished span with only what a test needs. */
function span(overrides: Partial<Record<keyof ExportableSpan, unknown>>): ExportableSpan {
  return {
    name: 'op',
    kind: 0,
    duration: [0, 5_000_000],
    attributes: {},
    events: [],
    status: { code: 0 },
    ...overrides,
  } as ExportableSpan;
}

describe('legacy names of spans made by OTel-native code', () => {
  for (const line of SDK_LINES) {
    for (const golden of GOLDEN) {
      it(`SDK ${line}: '${golden.span.name}' of '${golden.span.serviceName}' gives the original's lines byte for byte`, () => {
        const spans = nativeSpans(line, golden);
        expect(spans).toHaveLength(1);
        expect(linesOf(spans[0]!)).toEqual(golden.lines);
      });
    }
  }
});

describe('where the service, address and port come from', () => {
  const table: Array<{ case: string; span: ExportableSpan; timer: string }> = [
    {
      case: 'tomograph attributes win over semantic conventions and the resource',
      span: span({
        attributes: {
          'service.name': 'svc a',
          'tomograph.endpoint.address': 'h.x',
          'tomograph.endpoint.port': 81,
          'server.address': 'other',
          'server.port': 9,
        },
        resource: { attributes: { 'service.name': 'resource svc', 'host.name': 'rhost' } },
      }),
      timer: 'svc-a-h-x-81.op',
    },
    {
      case: 'the resource names the service when the span does not',
      span: span({
        attributes: { 'server.address': '10.1.2.3', 'server.port': 8080 },
        resource: { attributes: { 'service.name': 'api' } },
      }),
      timer: 'api-10-1-2-3-8080.op',
    },
    {
      case: "a server span's old net.host.* attributes name its endpoint",
      span: span({
        kind: SpanKind.SERVER,
        attributes: { 'net.host.name': 'web1', 'net.host.port': 443 },
        resource: { attributes: { 'service.name': 's' } },
      }),
      timer: 's-web1-443.op',
    },
    {
      case: "a client span's old net.peer.* attributes name its endpoint (the peer it calls)",
      span: span({
        kind: SpanKind.CLIENT,
        attributes: { 'net.peer.name': 'db', 'net.peer.port': 5432, 'net.host.name': 'ignored' },
        resource: { attributes: { 'service.name': 's' } },
      }),
      timer: 's-db-5432.op',
    },
    {
      case: "the resource's host.name, then the exporter's host name, with port 0, when no endpoint is given",
      span: span({ resource: { attributes: { 'service.name': 's', 'host.name': 'box.local' } } }),
      timer: 's-box-local-0.op',
    },
    {
      case: 'the host name option and unknown_service when nothing is known',
      span: span({}),
      timer: 'unknown_service-thishost-0.op',
    },
    {
      case: 'a resource whose attributes getter throws reads as empty',
      span: span({
        resource: {
          get attributes(): never {
            throw new Error('pending');
          },
        },
      }),
      timer: 'unknown_service-thishost-0.op',
    },
  ];
  for (const row of table) {
    it(row.case, () => {
      expect(linesOf(row.span)[0]).toBe(`${row.timer}:5|ms`);
    });
  }

  it("a note's own endpoint names its counter; fields it does not give default to the span's", () => {
    const lines = linesOf(
      span({
        attributes: { 'service.name': 'api', 'tomograph.endpoint.address': 'a.b', 'tomograph.endpoint.port': 1 },
        events: [
          { name: 'q', attributes: { 'service.name': 'db svc' } },
          { name: 'r', attributes: { 'tomograph.endpoint.address': 'db.host', 'tomograph.endpoint.port': 3306 } },
        ],
      }),
    );
    expect(lines).toEqual([
      'api-a-b-1.op:5|ms',
      'api-a-b-1.op.start:1|c',
      'db-svc-a-b-1.op.q:1|c',
      'api-db-host-3306.op.r:1|c',
      'api-a-b-1.op.stop:1|c',
    ]);
  });
});

describe('complex attribute values (API 1.10: maps, mixed arrays, bytes)', () => {
  it('name the service, address and port by their JSON, sanitised, never [object Object]', () => {
    const lines = linesOf(
      span({
        name: 'op',
        attributes: {
          'service.name': { team: 'nova' },
          'tomograph.endpoint.address': [1, 'a'],
          'tomograph.endpoint.port': new Uint8Array([1, 2, 3]),
        },
      }),
    );
    expect(lines.join('\n')).not.toContain('object');
    // {"team":"nova"} and [1,"a"] and "AQID", each with the characters a statsd name cannot hold made safe.
    expect(lines[0]).toMatch(/^\{"team"_"nova"\}-\[1_"a"\]-"AQID"\.op:5\|ms$/);
  });

  it('reach DogStatsD tags as JSON in tags mode', () => {
    const lines = linesOf(span({ name: 'op', attributes: { 'service.name': { team: 'nova' } } }), {
      ...LEGACY,
      naming: 'tags',
    });
    expect(lines[0]).toContain('service:{"team"_"nova"}');
  });
});

describe('names are safe on the wire whatever a span holds', () => {
  const table: Array<[string, string]> = [
    ['a:b', 'a_b'],
    ['a|b', 'a_b'],
    ['a@b#c', 'a_b_c'],
    ['x\ny:5|c', 'x_y_5_c'],
    ['cr\rnul\0tab\t', 'cr_nul_tab_'],
    ['k,v;t=1', 'k_v_t=1'],
    ['ünï ☃', '_n___'],
    ['😀', '_'],
    ['GET /servers.Detail', 'GET_/servers.Detail'],
  ];
  for (const [input, output] of table) {
    it(`${JSON.stringify(input)} becomes ${JSON.stringify(output)}`, () => {
      expect(sanitizeName(input)).toBe(output);
    });
  }

  it('a hostile span name and note give one line per metric, each of the form name:value|type', () => {
    const lines = linesOf(
      span({
        name: 'evil:1|c\nb:5|c',
        events: [{ name: 'SELECT :uuid_1 @x #y' }],
        attributes: { 'service.name': 's' },
      }),
    );
    expect(lines).toEqual([
      's-thishost-0.evil_1_c_b_5_c:5|ms',
      's-thishost-0.evil_1_c_b_5_c.start:1|c',
      's-thishost-0.evil_1_c_b_5_c.SELECT-_uuid_1-_x-_y:1|c',
      's-thishost-0.evil_1_c_b_5_c.stop:1|c',
    ]);
    for (const line of lines) expect(line).toMatch(/^[\x21-\x7E]+:\d+\|(ms|c)$/);
  });
});

describe('durations', () => {
  const table: Array<{ case: string; span: ExportableSpan; fractional: boolean; value: string; clamped: number }> = [
    {
      case: 'truncated to whole ms like the original',
      span: span({ duration: [2, 562_782_000] }),
      fractional: false,
      value: '2562',
      clamped: 0,
    },
    {
      case: 'kept to the microsecond with fractionalDurations',
      span: span({ duration: [2, 562_782_400] }),
      fractional: true,
      value: '2562.782',
      clamped: 0,
    },
    { case: 'negative: clamped to 0', span: span({ duration: [-1, 0] }), fractional: false, value: '0', clamped: 1 },
    {
      case: 'NaN: clamped to 0',
      span: span({ duration: [Number.NaN, 0], startTime: undefined }),
      fractional: false,
      value: '0',
      clamped: 1,
    },
    {
      case: 'no valid duration nor times: clamped to 0',
      span: span({ duration: 'soon' }),
      fractional: false,
      value: '0',
      clamped: 1,
    },
    {
      case: 'from start and end when duration is missing',
      span: span({ duration: undefined, startTime: hrAfter(0), endTime: hrAfter(120) }),
      fractional: false,
      value: '120',
      clamped: 0,
    },
    {
      case: 'end before start: clamped to 0',
      span: span({ duration: undefined, startTime: hrAfter(50), endTime: hrAfter(0) }),
      fractional: false,
      value: '0',
      clamped: 1,
    },
    {
      case: 'beyond 2^31-1 ms: clamped, never in exponent form',
      span: span({ duration: [1e18, 0] }),
      fractional: true,
      value: '2147483647',
      clamped: 1,
    },
  ];
  for (const row of table) {
    it(row.case, () => {
      const problems = { clampedDurations: 0, namerErrors: 0 };
      const metrics = spanToMetrics(
        readSpanFacts(row.span, 'h'),
        { ...LEGACY, fractionalDurations: row.fractional },
        problems,
      );
      expect(formatMetricLine(metrics[0]!)).toBe(`unknown_service-h-0.op:${row.value}|ms`);
      expect(problems.clampedDurations).toBe(row.clamped);
    });
  }
});

describe('naming modes', () => {
  const withNotes = span({
    name: 'GET /x',
    kind: SpanKind.SERVER,
    status: { code: 2 },
    attributes: { 'service.name': 'api', 'server.address': 'h', 'server.port': 80 },
    events: [{ name: 'cache miss' }, { name: 'db', attributes: { 'service.name': 'db' } }],
  });

  it('tags mode keeps fixed names and puts service, span, endpoint, kind, status and the note in DogStatsD tags', () => {
    expect(linesOf(withNotes, { ...LEGACY, naming: 'tags', prefix: 'app.' })).toEqual([
      'app.span.duration:5|ms|#service:api,span:GET_/x,endpoint:h_80,kind:server,status:error',
      'app.span.calls:1|c|#service:api,span:GET_/x,endpoint:h_80,kind:server,status:error',
      'app.span.note:1|c|#service:api,span:GET_/x,endpoint:h_80,kind:server,status:error,note:cache_miss',
      'app.span.note:1|c|#service:db,span:GET_/x,endpoint:h_80,kind:server,status:error,note:db',
    ]);
  });

  it('the line length the exporter checks against maxDatagramBytes is the length of the line it sends', () => {
    const problems = { clampedDurations: 0, namerErrors: 0 };
    for (const naming of ['legacy', 'tags'] as const) {
      for (const metric of spanToMetrics(
        readSpanFacts(withNotes, 'h'),
        { ...LEGACY, naming, fractionalDurations: true },
        problems,
      )) {
        expect(metricLineLength(metric)).toBe(formatMetricLine(metric).length);
        expect(metricLineLength(metric)).toBeGreaterThanOrEqual(formatMetricLine(metric, 'telegraf').length);
      }
    }
  });

  it('tags mode in Telegraf form', () => {
    const problems = { clampedDurations: 0, namerErrors: 0 };
    const first = spanToMetrics(readSpanFacts(withNotes, 'h'), { ...LEGACY, naming: 'tags' }, problems)[0]!;
    expect(formatMetricLine(first, 'telegraf')).toBe(
      'span.duration,service=api,span=GET_/x,endpoint=h_80,kind=server,status=error:5|ms',
    );
  });

  it("notes 'fixed' counts every note on one name; 'none' counts only start and stop", () => {
    expect(linesOf(withNotes, { ...LEGACY, notes: 'fixed' })).toEqual([
      'api-h-80.GET-/x:5|ms',
      'api-h-80.GET-/x.start:1|c',
      'api-h-80.GET-/x.note:1|c',
      'db-h-80.GET-/x.note:1|c',
      'api-h-80.GET-/x.stop:1|c',
    ]);
    expect(linesOf(withNotes, { ...LEGACY, notes: 'none' })).toEqual([
      'api-h-80.GET-/x:5|ms',
      'api-h-80.GET-/x.start:1|c',
      'api-h-80.GET-/x.stop:1|c',
    ]);
  });

  it('a naming function names each metric; its result is sanitised, undefined skips, a throw drops and is counted', () => {
    const problems = { clampedDurations: 0, namerErrors: 0 };
    const metrics = spanToMetrics(
      readSpanFacts(withNotes, 'h'),
      {
        ...LEGACY,
        prefix: 'p.',
        naming: ({ metric, span: s, note }) => {
          if (note?.value === 'stop') return undefined;
          if (note?.value === 'db') throw new Error('boom');
          return metric === 'duration' ? `${s.serviceName}.${s.name}` : `${s.serviceName}.${note!.value}`;
        },
      },
      problems,
    );
    expect(metrics.map((m) => formatMetricLine(m))).toEqual([
      'p.api.GET_/x:5|ms',
      'p.api.start:1|c',
      'p.api.cache_miss:1|c',
    ]);
    expect(problems.namerErrors).toBe(1);
  });
});

describe('the distinct-name budget', () => {
  const metric = (name: string, noteOf?: string): StatsdMetric => ({
    name,
    type: 'c',
    value: 1,
    tags: [],
    ...(noteOf ? { noteOf } : {}),
  });

  it('admits known names forever and new names until the bound', () => {
    const budget = new NameBudget(2, 100);
    expect([
      budget.admit(metric('a')),
      budget.admit(metric('b')),
      budget.admit(metric('c')),
      budget.admit(metric('a')),
    ]).toEqual([true, true, false, true]);
    expect(budget.size).toBe(2);
  });

  it('bounds note names per span so SQL text cannot use up the whole budget', () => {
    const budget = new NameBudget(1000, 2);
    const admitted = ['q1', 'q2', 'q3', 'q4'].map((q) => budget.admit(metric(`s.${q}`, 's')));
    expect(admitted).toEqual([true, true, false, false]);
    expect(budget.admit(metric('t.q1', 't'))).toBe(true);
    expect(budget.admit(metric('s.timer'))).toBe(true);
  });
});

describe('options are checked at construction', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['an unknown option', { hots: 'x' }, /unknown option 'hots'/],
    ['a port out of range', { port: 70000 }, /'port' must be an integer from 1 to 65535/],
    ['a protocol not offered', { protocol: 'http' }, /'protocol' must be one of 'udp', 'tcp', 'uds'/],
    ['uds without a path', { protocol: 'uds' }, /'path'.*required/],
    ['a naming mode not offered', { naming: 'graphite' }, /'naming' must be 'legacy', 'tags' or a function/],
    ['a zero name bound', { maxMetricNames: 0 }, /'maxMetricNames' must be an integer/],
    ['a datagram too large for UDP', { maxDatagramBytes: 70000 }, /'maxDatagramBytes'/],
    ['a client that is not a hot-shots client', { client: {} }, /'client' must be a hot-shots StatsD client/],
    ['options that are not an object', 'localhost', /options must be an object/],
    // Every millisecond option stays under Node's timer ceiling (2^31 - 1), past which a timer fires at once.
    [
      'a flush interval past the timer ceiling',
      { flushIntervalMillis: 2 ** 31 },
      /'flushIntervalMillis' must be an integer from 1 to 3600000, got 2147483648/,
    ],
    [
      'a shutdown wait past the timer ceiling',
      { shutdownTimeoutMillis: 2 ** 31 },
      /'shutdownTimeoutMillis' must be an integer from 1 to 600000, got 2147483648/,
    ],
    // The pacing pair of 0.1.0 is gone; a setup that still passes it is told what replaces it.
    [
      'the removed datagramsPerTurn',
      { datagramsPerTurn: 2 },
      /'datagramsPerTurn' was removed after 0\.1\.0: use 'burstBytes' .*'maxBytesPerSecond'/,
    ],
    [
      'the removed turnIntervalMillis',
      { turnIntervalMillis: 1 },
      /'turnIntervalMillis' was removed after 0\.1\.0: use 'maxBytesPerSecond' .*'burstBytes'/,
    ],
    [
      'the removed pair beside the new options',
      { datagramsPerTurn: 2, turnIntervalMillis: 1, burstBytes: 4096 },
      /'datagramsPerTurn' was removed/,
    ],
  ];
  for (const [what, options, message] of bad) {
    it(`${what} throws TomographError INVALID_OPTION`, () => {
      expect(() => new StatsdSpanExporter(options as never)).toThrow(message);
      try {
        new StatsdSpanExporter(options as never);
      } catch (error) {
        expect((error as { code?: string }).code).toBe('INVALID_OPTION');
      }
    });
  }
});
