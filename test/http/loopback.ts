// Real HTTP servers and clients on 127.0.0.1 for the HTTP tests: start a server on port 0, call it, close it.
import http, { type Agent, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import { setupOtel, type OtelHarness } from '../support/otel.js';

export interface LoopbackServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function listen(listener: RequestListener): Promise<LoopbackServer> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Reply {
  status: number;
  body: string;
  /** The client socket's local port: equal on two replies when keep-alive reused one connection. */
  socketPort: number | undefined;
}

/** GET `url` with `headers`; resolves with the reply. */
export function get(url: string, headers: http.OutgoingHttpHeaders = {}, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, socketPort: req.socket?.localPort }));
    });
    req.on('error', reject);
  });
}

/** Per test: a real OTel SDK (2.x) registered globally, and at most one loopback server, closed afterwards. */
export function useTracedLoopback(): {
  otel(): OtelHarness;
  serve(listener: RequestListener): Promise<LoopbackServer>;
} {
  let otel: OtelHarness | undefined;
  let server: LoopbackServer | undefined;
  beforeEach(() => {
    otel = setupOtel();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await otel?.teardown();
  });
  return {
    otel: () => otel as OtelHarness,
    async serve(listener) {
      await server?.close();
      server = await listen(listener);
      return server;
    },
  };
}
