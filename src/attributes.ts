// The span and event attribute names tomograph writes. Exporters read the same names, so they live in one place.

/** The service a span (or a note) belongs to; the stock Zipkin exporter shows each span under it. */
export const ATTR_SERVICE_NAME = 'service.name';
/** The endpoint address given to `start` (default: the host name), as the legacy span endpoint. */
export const ATTR_ENDPOINT_ADDRESS = 'tomograph.endpoint.address';
/** The endpoint port given to `start` (default 0). */
export const ATTR_ENDPOINT_PORT = 'tomograph.endpoint.port';
/** On a note (event): the duration passed to `annotate`, in milliseconds. */
export const ATTR_NOTE_DURATION_MS = 'tomograph.note.duration_ms';
/** Set to true on a span that `stop` ended because a span below it on the stack was stopped first. */
export const ATTR_NOT_STOPPED = 'tomograph.not_stopped';
/**
 * @deprecated No longer written: a note or tag made while no span is active is not recorded (the original sent
 * nothing for it either). Kept so that code reading it still compiles.
 */
export const ATTR_ORPHAN = 'tomograph.orphan';
/** Semantic conventions (1.21+): the address of the server a span talks to or is, read as its endpoint. */
export const ATTR_SERVER_ADDRESS = 'server.address';
/** Semantic conventions (1.21+): the port of that server. */
export const ATTR_SERVER_PORT = 'server.port';

// Database semantic conventions written by SQL tracing (stable since semconv 1.26; checked against
// @opentelemetry/semantic-conventions 1.45). Plain strings so that the package does not need that dependency.
/** The database system, e.g. `sqlite`, `postgresql`. */
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
/** The statement text, bound values never included. */
export const ATTR_DB_QUERY_TEXT = 'db.query.text';
/** The statement's operation, e.g. `SELECT`. */
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
/** The database name. */
export const ATTR_DB_NAMESPACE = 'db.namespace';
/** The class of an error (a driver's code). */
export const ATTR_ERROR_TYPE = 'error.type';
/** An exception's message, as in OTel's exception events. */
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
