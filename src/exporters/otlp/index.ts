// The OTLP path: what configure() registers for the 'otlp' backend.
export { createOtlpBackend, type OtlpBackend } from './backend.js';
export { loadOtlpExporterClass, OTLP_EXPORTER_PACKAGES } from './exporter-package.js';
export {
  OTLP_BACKEND_KEYS,
  OTLP_PROTOCOLS,
  type OtlpBackendOptions,
  type OtlpProcessorOptions,
  type OtlpProtocol,
} from './options.js';
