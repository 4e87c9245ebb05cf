// recordStatement(): what is written when a statement answers comes from its pending entry, worked out once when
// it was sent; the SQL text is not parsed again. Real OpenTelemetry SDK span.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveKnexOptions } from '../../src/integrations/knex/options.js';
import { recordStatement } from '../../src/integrations/knex/statement-span.js';
import { setupOtel, type OtelHarness } from '../support/otel.js';

let otel: OtelHarness;
beforeAll(() => {
  otel = setupOtel();
});
afterAll(() => otel.teardown());

describe('recordStatement', () => {
  it('names the note and sets its attributes from the pending entry, not from the SQL text again', () => {
    const settings = resolveKnexOptions({ name: 'nova' });
    const span = otel.tracer.startSpan('GET /users');
    // The text says SELECT; the entry, as worked out when it was sent, says otherwise: the entry must win.
    const pending = {
      sql: 'select 1',
      noteName: 'sql INSERT',
      noteAttributes: { 'db.operation.name': 'INSERT' },
      target: span,
      ownSpan: false,
      started: performance.now(),
    };
    recordStatement(pending, undefined, settings);
    span.end();

    expect(otel.span('GET /users').events.map((e) => [e.name, e.attributes?.['db.operation.name']])).toEqual([
      ['sql INSERT', 'INSERT'],
    ]);
  });
});
