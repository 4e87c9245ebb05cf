// The Zipkin path: what configure() registers for the 'zipkin' backend.
export { createZipkinBackend, type ZipkinBackend } from './backend.js';
export type { ZipkinProcessorOptions } from './options.js';
