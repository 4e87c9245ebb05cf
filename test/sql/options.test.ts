// traceKnex options: defaults, and the INVALID_OPTION error a bad value gives at call time.
import { describe, expect, it } from 'vitest';
import { resolveKnexOptions } from '../../src/integrations/knex/options.js';

describe('resolveKnexOptions', () => {
  it("applies the legacy defaults: enabled, notes on the current span, named by the statement's text", () => {
    expect(resolveKnexOptions({ name: 'nova' })).toEqual({
      serviceName: 'novadb client',
      enabled: true,
      asSpans: false,
      noteText: 'statement',
      maxQueryTextLength: 2048,
      maxInFlight: 1000,
    });
  });

  it('names notes by the operation when no text is to be recorded', () => {
    expect(resolveKnexOptions({ name: 'nova', maxQueryTextLength: 0 })).toMatchObject({
      noteText: 'operation',
      maxQueryTextLength: 0,
    });
  });

  it('keeps the values given', () => {
    expect(
      resolveKnexOptions({
        name: 'glance',
        enabled: false,
        asSpans: true,
        noteText: 'statement',
        maxQueryTextLength: 10,
        maxInFlight: 1,
      }),
    ).toEqual({
      serviceName: 'glancedb client',
      enabled: false,
      asSpans: true,
      noteText: 'statement',
      maxQueryTextLength: 10,
      maxInFlight: 1,
    });
  });

  it.each([
    [undefined, "traceKnex(): options must be an object with at least 'name', got undefined"],
    [null, "traceKnex(): options must be an object with at least 'name', got null"],
    [{}, "traceKnex(): 'name' must be a non-empty string (the application's name), got undefined"],
    [{ name: '  ' }, "traceKnex(): 'name' must be a non-empty string (the application's name), got ''"],
    [
      { name: 'n', asSpan: true },
      "traceKnex(): unknown option 'asSpan'; expected one of name, enabled, asSpans, noteText, maxQueryTextLength, maxInFlight",
    ],
    [{ name: 'n', enabled: 'yes' }, "traceKnex(): 'enabled' must be a boolean, got string"],
    [{ name: 'n', asSpans: 1 }, "traceKnex(): 'asSpans' must be a boolean, got number"],
    [{ name: 'n', noteText: 'sql' }, "traceKnex(): 'noteText' must be 'operation' or 'statement', got sql"],
    [
      { name: 'n', maxQueryTextLength: -1 },
      "traceKnex(): 'maxQueryTextLength' must be an integer of at least 0, got -1",
    ],
    [{ name: 'n', maxInFlight: 0 }, "traceKnex(): 'maxInFlight' must be an integer of at least 1, got 0"],
    [{ name: 'n', maxInFlight: 1.5 }, "traceKnex(): 'maxInFlight' must be an integer of at least 1, got 1.5"],
    [
      { name: 'n', noteText: 'statement', maxQueryTextLength: 0 },
      "traceKnex(): 'noteText: statement' names notes by the SQL text, so 'maxQueryTextLength' cannot be 0",
    ],
  ])('rejects %j with a clear INVALID_OPTION', (options, message) => {
    expect(() => resolveKnexOptions(options)).toThrowError(
      expect.objectContaining({ name: 'TomographError', code: 'INVALID_OPTION', message }),
    );
  });
});
