// A Zipkin collector double on 127.0.0.1 for tests: POST /api/v2/spans read as a real Zipkin reads it (202 or
// 400), the query endpoints tests assert on, and switchable failures: refuse, 500, and accept-then-never-answer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { normalizeTraceId, readV2Spans, type ZipkinSpan } from './zipkin-v2-reader.js';
import { readBody } from './request-body.js';

export type { ZipkinSpan } from './zipkin-v2-reader.js';

/** accept: as Zipkin; fail: 500 to every POST; hang: read the POST and never answer; refuse: not listening. */
export type CollectorMode = 'accept' | 'fail' | 'hang' | 'refuse';

/** One POST as the collector answered it. */
export interface ReceivedPost {
  status: number;
  message: string;
  spanCount: number;
}

export interface ZipkinCollector {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** Where an exporter should send: `<baseUrl>/api/v2/spans`. */
  readonly spansUrl: string;
  /** Every POST so far, in order. */
  readonly posts: readonly ReceivedPost[];
  /** Every span stored, in arrival order. */
  readonly spans: readonly ZipkinSpan[];
  setMode(mode: CollectorMode): Promise<void>;
  /** Resolves once at least `count` spans are stored; rejects after `timeoutMs`. */
  waitForSpans(count: number, timeoutMs?: number): Promise<ZipkinSpan[]>;
  /** GET /api/v2/trace/{traceId} over HTTP: the spans, or undefined on 404. */
  getTrace(traceId: string): Promise<ZipkinSpan[] | undefined>;
  /** GET /api/v2/traces?serviceName= over HTTP. */
  getTraces(serviceName: string): Promise<ZipkinSpan[][]>;
  /** Closes the listener and every open connection (hanging ones included). */
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}

export async function startZipkinCollector(): Promise<ZipkinCollector> {
  let mode: CollectorMode = 'accept';
  const posts: ReceivedPost[] = [];
  const spans: ZipkinSpan[] = [];
  const traces = new Map<string, ZipkinSpan[]>();
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();

  async function onPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (mode === 'hang') {
      // status 0: read, never answered; the connection stays open until the client gives up or stop().
      posts.push({ status: 0, message: 'never answered', spanCount: 0 });
      return;
    }
    if (mode === 'fail') {
      posts.push({ status: 500, message: 'Internal Server Error', spanCount: 0 });
      return send(res, 500, 'Internal Server Error');
    }
    const encoding = req.headers['content-encoding'];
    const result = readV2Spans(body, typeof encoding === 'string' ? encoding : undefined);
    if (!result.ok) {
      posts.push({ status: 400, message: result.message, spanCount: 0 });
      return send(res, 400, result.message);
    }
    for (const span of result.spans) {
      spans.push(span);
      traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
    }
    posts.push({ status: 202, message: '', spanCount: result.spans.length });
    res.writeHead(202).end();
    for (const wake of waiters) wake();
  }

  function onGet(url: URL, res: ServerResponse): void {
    const path = url.pathname;
    const traceMatch = /^\/api\/v2\/trace\/([^/]+)$/.exec(path);
    if (traceMatch !== null) {
      const id = traceMatch[1] ?? '';
      if (!/^(?:[0-9a-f]{16}|[0-9a-f]{32})$/.test(id)) return send(res, 400, `Invalid trace id: ${id}`);
      const found = traces.get(normalizeTraceId(id));
      return found === undefined ? send(res, 404, `${id} not found`) : send(res, 200, found);
    }
    const service = (url.searchParams.get('serviceName') ?? '').toLowerCase();
    const inService = (s: ZipkinSpan) => s.localEndpoint?.serviceName === service;
    if (path === '/api/v2/traces')
      return send(
        res,
        200,
        [...traces.values()].filter((t) => service === '' || t.some(inService)),
      );
    if (path === '/api/v2/services')
      return send(res, 200, [...new Set(spans.flatMap((s) => s.localEndpoint?.serviceName ?? []))].sort());
    if (path === '/api/v2/spans') {
      if (service === '') return send(res, 400, 'serviceName is required');
      return send(res, 200, [...new Set(spans.filter(inService).flatMap((s) => s.name ?? []))].sort());
    }
    return send(res, 404, 'Not Found');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/api/v2/spans') {
      onPost(req, res).catch(() => res.destroy());
    } else if (req.method === 'GET') {
      onGet(url, res);
    } else {
      send(res, 405, 'Method Not Allowed');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  await listen(0);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;

  async function get<T>(path: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${baseUrl}${path}`);
    const text = await res.text();
    return {
      status: res.status,
      body: (res.headers.get('content-type') === 'application/json' ? JSON.parse(text) : text) as T,
    };
  }

  return {
    baseUrl,
    spansUrl: `${baseUrl}/api/v2/spans`,
    posts,
    spans,
    async setMode(next) {
      if (next === 'refuse' && mode !== 'refuse') await close();
      // Back on the same port, so exporters configured with spansUrl reach it again.
      if (next !== 'refuse' && mode === 'refuse') await listen(port);
      mode = next;
    },
    waitForSpans(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (spans.length < count) return;
          cleanup();
          resolve([...spans]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `collector: ${spans.length} of ${count} spans after ${timeoutMs} ms; posts: ${JSON.stringify(posts)}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async getTrace(traceId) {
      const { status, body } = await get<ZipkinSpan[]>(`/api/v2/trace/${traceId}`);
      return status === 200 ? body : undefined;
    },
    async getTraces(serviceName) {
      return (await get<ZipkinSpan[][]>(`/api/v2/traces?serviceName=${encodeURIComponent(serviceName)}`)).body;
    },
    stop: close,
  };
}
