// The statsd exporter's public names; configure() and both package entries import from here.
export { StatsdSpanExporter } from './exporter.js';
export type { StatsdSpanExporterOptions, StatsdNaming, StatsdNoteCounting } from './options.js';
export type { MetricNamer, MetricNameInput } from './metrics.js';
export type { SpanFacts, NoteFacts, SpanKindName, SpanStatusName, ExportableSpan } from './span-facts.js';
export type { StatsdExporterStats } from './problems.js';
