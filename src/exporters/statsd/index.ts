// The statsd exporter's public names; configure() and both package entries import from here.
export { StatsdSpanExporter } from './exporter.js';
export { StatsdSpanProcessor } from './span-processor.js';
export type { StatsdSpanProcessorOptions } from './span-processor.js';
export { alwaysRecordSampler } from '../../sampling/always-record.js';
export type { StatsdSpanExporterOptions, StatsdNaming, StatsdNoteCounting } from './options.js';
export type { MetricNamer, MetricNameInput } from './metrics.js';
export type { SpanFacts, NoteFacts, SpanKindName, SpanStatusName, ExportableSpan } from './span-facts.js';
export type { StatsdExporterStats } from './stats.js';
