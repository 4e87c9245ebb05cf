// The 'tomograph/statsd' entry: the statsd span exporter alone, without loading the facade.
export { StatsdSpanExporter, StatsdSpanProcessor, alwaysRecordSampler } from './exporters/statsd/index.js';
export type {
  StatsdSpanExporterOptions,
  StatsdSpanProcessorOptions,
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
