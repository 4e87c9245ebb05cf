// The server span of one HTTP request: what it records when it opens, and how it ends with the response.
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { IncomingHeaders } from '../../propagation/carriers.js';
import { closeFrame, type Frame, type SpanSpec } from '../../facade/span-stack.js';
import { requestEndpoint, type RequestSocketLike } from './endpoint.js';

/** The parts of an incoming request the server span reads. */
export interface IncomingRequestLike extends RequestSocketLike {
  headers: IncomingHeaders;
  method?: string | undefined;
}

/** The parts of a response the server span watches. */
export interface ServerResponseLike {
  statusCode: number;
  writableFinished?: boolean;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

// Methods as OTel's semantic conventions know them; anything else a client sends is recorded as _OTHER, so
// that a client cannot fill the span's tags with arbitrary text.
const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

/** The facade span spec for a server span of `request`. */
export function serverSpanSpec(serviceName: string, name: string, request: IncomingRequestLike): SpanSpec {
  const method = typeof request.method === 'string' && KNOWN_METHODS.has(request.method) ? request.method : '_OTHER';
  const attributes: Attributes = { 'http.request.method': method };
  return { serviceName, name, kind: SpanKind.SERVER, attributes, ...requestEndpoint(request) };
}

/** What the app can still tell a response-bound span: that it threw. */
export interface ResponseSpan {
  /** Records an exception thrown by the app and marks the span ERROR; its message wins over the status code's. */
  fail(error: unknown): void;
}

/**
 * Ends `frame`'s span once, when the response finishes (with its status code; 5xx is ERROR) or when the connection
 * closes before that (with a `connection closed early` note).
 */
export function endWithResponse(frame: Frame, response: ServerResponseLike): ResponseSpan {
  const span = frame.span;
  let ended = false;
  let failed = false;
  const end = (finished: boolean) => {
    if (ended) return;
    ended = true;
    span.setAttribute('http.response.status_code', response.statusCode);
    if (!finished) span.addEvent('connection closed early');
    else if (response.statusCode >= 500 && !failed)
      span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.statusCode}` });
    closeFrame(frame);
  };
  response.once('finish', () => end(true));
  response.once('close', () => end(response.writableFinished === true));
  return {
    fail(error) {
      if (ended) return;
      failed = true;
      if (error instanceof Error) span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    },
  };
}
