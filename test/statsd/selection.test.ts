// Choosing which spans become metrics (scope, kind, predicate), the naming function seeing the scope, the default
// that leaves auto-instrumentation out, Graphite-safe service names for native spans, and the name budget's bounds;
// against the real daemon where lines are concerned.
import { SpanKind } from '@opentelemetry/api';
import { resourceFromAttributes, defaultResource } from '@opentelemetry/resources';
import { newProvider } from '../support/sdk-line.js';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  StatsdSpanExporter,
  StatsdSpanProcessor,
  type StatsdSpanExporterOptions,
  type MetricNameInput,
} from 'tomograph/statsd';
import { NameBudget } from '../../src/exporters/statsd/name-budget.js';
import { isSelected } from '../../src/exporters/statsd/selection.js';
import { useStatsdDaemon, type StatsdDaemon } from '../support/statsd-daemon.js';

const theDaemon = useStatsdDaemon();
let daemon: StatsdDaemon;
beforeEach(() => {
  daemon = theDaemon();
});

/**
 * Records spans from several tracers (scopes) and kinds through an exporter with `options`; returns it after shutdown.
 */
async function recordMix(
  options: StatsdSpanExporterOptions,
  resource = resourceFromAttributes({ 'service.name': 'app' }),
): Promise<StatsdSpanExporter> {
  const exporter = new StatsdSpanExporter({ host: daemon.host, port: daemon.udpPort, hostName: 'h', ...options });
  const provider = newProvider({ resource, spanProcessors: [new StatsdSpanProcessor(exporter)] });
  provider.getTracer('tomograph').startSpan('legacy', { kind: SpanKind.INTERNAL }).end();
  provider.getTracer('my-app').startSpan('own', { kind: SpanKind.CLIENT }).end();
  provider
    .getTracer('@opentelemetry/instrumentation-http', '0.223.0')
    .startSpan('GET', { kind: SpanKind.SERVER })
    .end();
  provider.getTracer('@opentelemetry/instrumentation-knex').startSpan('select', { kind: SpanKind.CLIENT }).end();
  await provider.shutdown();
  return exporter;
}

const timerNames = (lines: string[]): string[] =>
  lines.filter((line) => line.endsWith('|ms')).map((line) => line.slice(0, line.indexOf(':')));

describe('which spans become metrics', () => {
  it("by default, spans of OpenTelemetry auto-instrumentation packages are left out (counted as skipped); the app's own and the facade's stay", async () => {
    const exporter = await recordMix({});
    expect(timerNames(await daemon.waitForLines(6))).toEqual(['app-h-0.legacy', 'app-h-0.own']);
    expect(exporter.getStats()).toMatchObject({ spansSent: 2, spansSkipped: 2 });
  });

  it('excludeScopes: [] counts the auto-instrumentation spans too', async () => {
    await recordMix({ excludeScopes: [] });
    expect(timerNames(await daemon.waitForLines(12))).toEqual([
      'app-h-0.legacy',
      'app-h-0.own',
      'app-h-0.GET',
      'app-h-0.select',
    ]);
  });

  it('scopes selects by instrumentation scope, exact names or patterns', async () => {
    await recordMix({ scopes: ['tomograph', /^@opentelemetry\/instrumentation-http$/], excludeScopes: [] });
    expect(timerNames(await daemon.waitForLines(6))).toEqual(['app-h-0.legacy', 'app-h-0.GET']);
  });

  it('kinds selects by span kind', async () => {
    await recordMix({ kinds: ['client'], excludeScopes: [] });
    expect(timerNames(await daemon.waitForLines(6))).toEqual(['app-h-0.own', 'app-h-0.select']);
  });

  it('a filter decides last; one that throws skips that span, counted and reported', async () => {
    const exporter = await recordMix({
      filter: (span) => {
        if (span.name === 'own') throw new Error('bad filter');
        return span.scope.name === 'tomograph';
      },
    });
    expect(timerNames(await daemon.waitForLines(3))).toEqual(['app-h-0.legacy']);
    expect(exporter.getStats()).toMatchObject({ spansSent: 1, spansSkipped: 3, filterErrors: 1 });
  });

  it('the naming function receives the scope (name and version)', async () => {
    const seen: Array<MetricNameInput['span']['scope']> = [];
    await recordMix({
      excludeScopes: [],
      naming: (input) => {
        if (input.metric === 'duration') seen.push(input.span.scope);
        return input.metric === 'duration'
          ? `${input.span.scope.name.replace(/^@opentelemetry\//, '')}.${input.span.name}`
          : undefined;
      },
    });
    expect(seen).toEqual([
      { name: 'tomograph', version: undefined },
      { name: 'my-app', version: undefined },
      { name: '@opentelemetry/instrumentation-http', version: '0.223.0' },
      { name: '@opentelemetry/instrumentation-knex', version: undefined },
    ]);
    expect(timerNames(await daemon.waitForLines(4))).toEqual([
      'tomograph.legacy',
      'my-app.own',
      'instrumentation-http.GET',
      'instrumentation-knex.select',
    ]);
  });
});

describe('service names of native spans', () => {
  it("a span without service.name takes the resource's; OTel's default resource (unknown_service:<process path>) reads as unknown_service, with no slashes", async () => {
    const fallback = defaultResource();
    expect(String(fallback.attributes['service.name'])).toMatch(/^unknown_service:.*\//);
    await recordMix({}, fallback);
    expect(timerNames(await daemon.waitForLines(6))).toEqual(['unknown_service-h-0.legacy', 'unknown_service-h-0.own']);
    expect(await daemon.badLines()).toBe(0);
  });
});

describe('the name budget', () => {
  it('a name too long to send is never admitted: 400 spans with distinct 128 KB names leave the budget untouched and a later span keeps its own name', async () => {
    const exporter = new StatsdSpanExporter({
      host: daemon.host,
      port: daemon.udpPort,
      hostName: 'h',
      maxMetricNames: 10,
    });
    const provider = newProvider({
      resource: resourceFromAttributes({ 'service.name': 'app' }),
      spanProcessors: [new StatsdSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('app');
    const big = 'x'.repeat(1 << 17);
    for (let i = 0; i < 400; i += 1) tracer.startSpan(`${i}${big}`).end();
    tracer.startSpan('GET /health').end();
    await provider.shutdown();
    expect(timerNames(await daemon.waitForLines(3))).toEqual(['app-h-0.GET-/health']);
    expect(exporter.getStats()).toMatchObject({ metricsOversized: 1200, metricsOverflowed: 0 });
  });

  it('bounds its memory in bytes: past maxBytes new names overflow, known names still pass', () => {
    const budget = new NameBudget(1000, 100, 100);
    const metric = (name: string) => ({ name, type: 'c' as const, value: 1, tags: [] });
    expect(budget.admit(metric('a'.repeat(60)))).toBe(true);
    expect(budget.admit(metric('b'.repeat(60)))).toBe(false);
    expect(budget.admit(metric('a'.repeat(60)))).toBe(true);
    expect(budget.admit(metric('c'.repeat(40)))).toBe(true);
    expect(budget.memoryBytes).toBe(100);
  });
});

describe('scope patterns (pure)', () => {
  it('a pattern with the g or y flag matches the same scope every time', () => {
    const facts = { scope: { name: 'billing' }, kind: 'internal' } as unknown as Parameters<typeof isSelected>[0];
    for (const flags of ['g', 'y']) {
      const options = { scopes: [new RegExp('^billing$', flags)], excludeScopes: [] };
      expect([isSelected(facts, options), isSelected(facts, options), isSelected(facts, options)]).toEqual([
        true,
        true,
        true,
      ]);
    }
  });
});
