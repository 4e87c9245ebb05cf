// The public entry of 'tomograph': every name a user may import is declared here, and only here.
export { TomographError, isTomographError } from './errors.js';
export type { TomographErrorCode } from './errors.js';
export {
  ATTR_SERVICE_NAME,
  ATTR_ENDPOINT_ADDRESS,
  ATTR_ENDPOINT_PORT,
  ATTR_NOTE_DURATION_MS,
  ATTR_NOT_STOPPED,
  ATTR_ORPHAN,
} from './attributes.js';
export { createZipkinBackend } from './exporters/zipkin/index.js';
export type { ZipkinBackend, ZipkinBackendOptions } from './exporters/zipkin/index.js';
