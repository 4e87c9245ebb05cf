// The 'log' backend.
export { LogSpanExporter, logSpanProcessor, type LogExporterOptions } from './log-exporter.js';
export { renderWaterfall, renderSpanLine, type WaterfallStyle } from './waterfall.js';
