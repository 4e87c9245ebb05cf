// addTraceInfoHeader on headers it cannot write: the call goes on untraced, and the loss is reported through diag.
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addTraceInfoHeader, start, stop } from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { useTracedLoopback } from './loopback.js';

useTracedLoopback();
let diagnostics: DiagCapture;
beforeEach(() => {
  diagnostics = captureDiag();
});
afterEach(() => diagnostics.restore());

describe('addTraceInfoHeader on headers it cannot write', () => {
  it('returns frozen headers unchanged, does not throw, and warns through diag', () => {
    const frozen = Object.freeze({ accept: 'text/plain' });
    start('test client', 'call');
    const returned = addTraceInfoHeader(frozen);
    stop('call');
    expect(returned).toBe(frozen);
    expect(returned).toEqual({ accept: 'text/plain' });
    expect(diagnostics.warnings('tomograph: trace headers not added')).toHaveLength(1);
  });

  it('leaves a request whose headers were already sent as it is, and warns through diag', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const request = http.request({ host: '127.0.0.1', port, method: 'POST' });
      request.on('error', () => undefined);
      request.flushHeaders();
      start('test client', 'call');
      expect(() => addTraceInfoHeader(request)).not.toThrow();
      stop('call');
      expect(request.getHeader('x-trace-info')).toBeUndefined();
      expect(diagnostics.warnings('tomograph: trace headers not added')).toHaveLength(1);
      request.destroy();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('warns nothing when the headers are written', () => {
    start('test client', 'call');
    addTraceInfoHeader({});
    stop('call');
    expect(diagnostics.messages).toEqual([]);
  });
});
