// An OTLP/HTTP trace receiver double on 127.0.0.1 for tests: POST /v1/traces as protobuf or JSON, each payload
// checked against the official definitions and the OTLP/JSON mapping (./otlp-proto.ts) and answered as a receiver
// answers (200 with an empty response, 400 with the reasons), with switchable failures: refuse, 500, 503, and
// accept-then-never-answer.
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  decodeOtlpProtobuf,
  ExportTraceServiceRequest,
  otlpJsonErrors,
  spanErrors,
  spansOfRequest,
  type ReceivedSpan,
} from './otlp-proto.js';
import { readBody } from './request-body.js';

export type { ReceivedSpan } from './otlp-proto.js';

/**
 * accept: as a receiver; fail: 500; unavailable: 503 (retryable); hang: read and never answer; refuse: not listening.
 */
export type ReceiverMode = 'accept' | 'fail' | 'unavailable' | 'hang' | 'refuse';

/** One POST as the receiver read and answered it. */
export interface ReceivedRequest {
  path: string;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  /** Why the payload was refused; empty when it was valid. */
  errors: string[];
  spanCount: number;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** Where an exporter should send: `<baseUrl>/v1/traces`. */
  readonly tracesUrl: string;
  readonly requests: readonly ReceivedRequest[];
  /** Every span of every valid request, in arrival order. */
  readonly spans: readonly ReceivedSpan[];
  setMode(mode: ReceiverMode): Promise<void>;
  /** Resolves once at least `count` spans arrived; rejects after `timeoutMs`. */
  waitForSpans(count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  /** Closes the listener and every open connection (hanging ones included). */
  stop(): Promise<void>;
}

/** The payload read as its content type says, or the reasons it is not a valid request. */
function readPayload(contentType: string, body: Buffer): { spans: ReceivedSpan[]; errors: string[] } {
  let request: unknown;
  if (contentType === 'application/x-protobuf') {
    const decoded = decodeOtlpProtobuf(body);
    if (decoded.errors.length > 0) return { spans: [], errors: decoded.errors };
    request = decoded.request;
  } else if (contentType === 'application/json') {
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return { spans: [], errors: [`not JSON: ${(error as Error).message}`] };
    }
  } else {
    return { spans: [], errors: [`unsupported content type ${JSON.stringify(contentType)}`] };
  }
  // The protobuf path is checked against the JSON mapping too: the decoded form must be what JSON would carry.
  const errors = otlpJsonErrors(ExportTraceServiceRequest, request);
  if (errors.length > 0) return { spans: [], errors };
  const spans = spansOfRequest(request);
  return { spans, errors: spans.flatMap(spanErrors) };
}

function answer(res: ServerResponse, contentType: string, status: number, errors: string[]): void {
  if (status === 200) {
    // An empty ExportTraceServiceResponse: no bytes in protobuf, `{}` in JSON.
    res.writeHead(200, {
      'content-type': contentType === 'application/json' ? 'application/json' : 'application/x-protobuf',
    });
    res.end(contentType === 'application/json' ? '{}' : undefined);
  } else {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(errors.join('\n') || 'failure');
  }
}

export async function startOtlpReceiver(port = 0): Promise<OtlpReceiver> {
  let mode: ReceiverMode = 'accept';
  const requests: ReceivedRequest[] = [];
  const spans: ReceivedSpan[] = [];
  const sockets = new Set<Socket>();
  const waiters: Array<() => void> = [];

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req).catch(() => undefined);
      if (raw === undefined) return;
      if (mode === 'hang') return; // read the POST, never answer
      const contentType = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim();
      const record = (status: number, errors: string[], spanCount: number) =>
        requests.push({ path: req.url ?? '', contentType, headers: req.headers, status, errors, spanCount });
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        record(404, [`no such endpoint ${req.method} ${req.url}`], 0);
        return answer(res, contentType, 404, ['not found']);
      }
      if (mode === 'fail' || mode === 'unavailable') {
        const status = mode === 'fail' ? 500 : 503;
        record(status, [], 0);
        return answer(res, contentType, status, ['failing on purpose']);
      }
      let body = raw;
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(raw);
      const payload = readPayload(contentType, body);
      if (payload.errors.length > 0) {
        record(400, payload.errors, 0);
        return answer(res, contentType, 400, payload.errors);
      }
      record(200, [], payload.spans.length);
      spans.push(...payload.spans);
      answer(res, contentType, 200, []);
      for (const wake of waiters.splice(0)) wake();
    })();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (onPort: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(onPort, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  const boundPort = await listen(port);

  return {
    baseUrl: `http://127.0.0.1:${boundPort}`,
    tracesUrl: `http://127.0.0.1:${boundPort}/v1/traces`,
    requests,
    spans,
    async setMode(next) {
      if (next === 'refuse' && mode !== 'refuse') await close();
      if (next !== 'refuse' && mode === 'refuse') await listen(boundPort);
      mode = next;
    },
    async waitForSpans(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (spans.length < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `expected ${count} spans, received ${spans.length}; requests: ${JSON.stringify(requests.map((r) => [r.status, r.errors]))}`,
          );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 100));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return [...spans];
    },
    stop: close,
  };
}
