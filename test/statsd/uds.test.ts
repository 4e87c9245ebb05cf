// The exporter over a Unix datagram socket (protocol 'uds'), read by a real unix-dgram server in this process
// (the Etsy daemon has no Unix-socket server).
import { OWN_LINE } from '../support/otel.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { GOLDEN, recordNative } from './golden.js';
import { pipeline } from './pipelines.js';

interface UnixDgramSocket {
  bind(path: string): void;
  on(event: 'listening' | 'error', listener: (error?: Error) => void): void;
  close(): void;
}
const unixDgram = createRequire(import.meta.url)('unix-dgram') as {
  createSocket(type: 'unix_dgram', onMessage: (message: Buffer) => void): UnixDgramSocket;
};

let dir: string;
let server: UnixDgramSocket;
let datagrams: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tomograph-uds-'));
  datagrams = [];
  server = unixDgram.createSocket('unix_dgram', (message) => datagrams.push(message.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    server.on('listening', () => resolve());
    server.on('error', (error) => reject(error));
    server.bind(join(dir, 'dsd.socket'));
  });
});
afterEach(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

it('every legacy golden case arrives over a Unix datagram socket, packed into 8 KiB datagrams', async () => {
  const exporter = new StatsdSpanExporter({ protocol: 'uds', path: join(dir, 'dsd.socket') });
  const traced = pipeline(`${OWN_LINE} batch`, exporter);
  for (const golden of GOLDEN) recordNative(traced.tracer(golden.span.serviceName), golden);
  await traced.shutdown();
  expect(datagrams.flatMap((datagram) => datagram.split('\n'))).toEqual(GOLDEN.flatMap((golden) => golden.lines));
  expect(datagrams).toHaveLength(1);
  expect(exporter.getStats()).toMatchObject({ sendErrors: 0, spansDropped: 0 });
});
