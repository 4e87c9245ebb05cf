// The facade takes the original's arguments as the original took them: '' is a value, a port may be decimal text,
// traced's host 0.0.0.0 means this machine; a note or tag with no span open is not recorded, and is told once as
// a Node warning (each time through diag). Its own file: the once-per-process warning needs a fresh process.
import { hostname } from 'node:os';
import { annotate, setStrictMode, start, stop, tag, traced } from 'tomograph';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { setupOtel, type OtelHarness } from '../support/otel.js';

let otel: OtelHarness;
let diagnostics: DiagCapture;
beforeAll(() => {
  otel = setupOtel();
  diagnostics = captureDiag();
});
afterAll(async () => {
  diagnostics.restore();
  await otel.teardown();
});

describe('arguments as the original took them', () => {
  it("keeps '' as the service, the address and a note's address", () => {
    start('', 'op', '', 0);
    annotate('n', { address: '', serviceName: '' });
    stop('op');
    const span = otel.span('op');
    expect(span.attributes).toMatchObject({
      'service.name': '',
      'tomograph.endpoint.address': '',
      'tomograph.endpoint.port': 0,
    });
    expect(span.events[0]?.attributes).toEqual({ 'service.name': '', 'tomograph.endpoint.address': '' });
  });

  it.each([
    ['80', 80],
    [' 080 ', 80],
    ['+8080', 8080],
    ['65535', 65535],
  ])('reads the port %j as %d, as int() did', (given, port) => {
    otel.reset();
    start('svc', 'op', 'h', given);
    annotate('n', { port: given });
    stop('op');
    const span = otel.span('op');
    expect([
      span.attributes['tomograph.endpoint.port'],
      span.events[0]?.attributes?.['tomograph.endpoint.port'],
    ]).toEqual([port, port]);
  });

  it("takes traced's host 0.0.0.0 as this machine and a port as text", async () => {
    otel.reset();
    traced('svc', 'fn', { address: '0.0.0.0', port: '8080' })(() => undefined)();
    expect(otel.span('fn').attributes).toMatchObject({
      'tomograph.endpoint.address': hostname(),
      'tomograph.endpoint.port': 8080,
    });
    expect(() => traced('svc', 'fn', { port: 'eighty' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('notes and tags with no span open', () => {
  it('are not recorded; diag tells each, process.emitWarning the first only', () => {
    otel.reset();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      annotate('lonely');
      tag('k', 'v');
      annotate('again');
      expect(otel.spans()).toEqual([]);
      expect(diagnostics.warnings('with no span active: not recorded')).toHaveLength(3);
      expect(warn.mock.calls).toEqual([
        [
          "annotate('lonely') with no span active: not recorded",
          expect.objectContaining({ code: 'TOMOGRAPH_NO_ACTIVE_SPAN', type: 'TomographWarning' }),
        ],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('throw NO_ACTIVE_SPAN in strict mode', () => {
    setStrictMode(true);
    try {
      expect(() => annotate('strict')).toThrowError(expect.objectContaining({ code: 'NO_ACTIVE_SPAN' }));
    } finally {
      setStrictMode(false);
    }
  });
});
