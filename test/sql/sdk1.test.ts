// SQL tracing under an existing OpenTelemetry SDK 1.x setup (1.30), which many services still run: both modes.
import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { parentIdOf } from '../support/otel.js';
import { request, useKnexHarness } from './database.js';

const harness = useKnexHarness('1.x');

describe('SQL tracing on OpenTelemetry SDK 1.x', () => {
  it('records notes on the request span', async () => {
    const tracing = harness.trace({ name: 'nova' });
    await request('GET /users', async () => {
      await harness.db('users').select('id');
      await harness.db.raw('select * from nope').catch(() => undefined);
    });
    tracing.detach();
    expect(harness.otel.span('GET /users').events.map((e) => e.name)).toEqual([
      'select `id` from `users`',
      'select `id` from `users`',
      'select * from nope',
      'database exception no such table: nope',
    ]);
  });

  it('records execute spans under the request span, a failure with ERROR status', async () => {
    const tracing = harness.trace({ name: 'nova', asSpans: true });
    await request('GET /users', async () => {
      await harness.db('users').select('id');
      await harness.db.raw('select * from nope').catch(() => undefined);
    });
    tracing.detach();
    const id = harness.otel.span('GET /users').spanContext().spanId;
    expect(
      harness.otel
        .spans()
        .filter((s) => s.name === 'execute')
        .map((s) => [parentIdOf(s) === id, s.status.code]),
    ).toEqual([
      [true, SpanStatusCode.UNSET],
      [true, SpanStatusCode.ERROR],
    ]);
  });
});
