// The 'tomograph/statsd' entry: the statsd span exporter alone, without loading the facade.
export { StatsdSpanExporter } from './exporters/statsd/index.js';
export type {
  StatsdSpanExporterOptions,
  StatsdNaming,
  StatsdNoteCounting,
  MetricNamer,
  MetricNameInput,
  SpanFacts,
  NoteFacts,
  SpanKindName,
  SpanStatusName,
  ExportableSpan,
  StatsdExporterStats,
} from './exporters/statsd/index.js';
