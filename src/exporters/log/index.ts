// The 'log' backend.
export { LogSpanExporter, type LogExporterOptions } from './log-exporter.js';
export { renderWaterfall, renderSpanLine, type WaterfallStyle } from './waterfall.js';
