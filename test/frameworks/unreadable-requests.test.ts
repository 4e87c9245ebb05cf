// A request object tracing cannot read (a getter that throws, as a hostile proxy or a broken framework wrapper
// would) is served untraced: the plugin's hook and the middleware carry on exactly once and report it through diag.
// No real Fastify or Koa hands out such an object, so the hooks are called here directly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fastifyTracing } from 'tomograph/fastify';
import { koaTracing } from 'tomograph/koa';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { setupOtel, type OtelHarness } from '../support/otel.js';

const unreadable = Object.defineProperty({}, 'raw', {
  get: () => {
    throw new Error('unreadable');
  },
});
let otel: OtelHarness;
let diagnostics: DiagCapture;
beforeEach(() => {
  otel = setupOtel();
  diagnostics = captureDiag();
});
afterEach(async () => {
  diagnostics.restore();
  await otel.teardown();
});

describe('a request tracing cannot read', () => {
  it("goes on untraced through the Fastify plugin's onRequest hook, done() called once", () => {
    const hooks = new Map<string, (...args: unknown[]) => void>();
    const instance = { addHook: (name: string, hook: (...args: unknown[]) => void) => void hooks.set(name, hook) };
    let registered = 0;
    fastifyTracing({ serviceName: 'svc' })(instance, {}, () => registered++);
    expect([registered, [...hooks.keys()]]).toEqual([1, ['onRequest', 'preValidation', 'onError', 'onRoute']]);
    let done = 0;
    hooks.get('onRequest')!(unreadable, unreadable, () => done++);
    hooks.get('preValidation')!(unreadable, unreadable, () => done++);
    expect(done).toBe(2);
    expect(otel.spans()).toEqual([]);
    expect(diagnostics.warnings('fastifyTracing() failed')).toHaveLength(1);
  });

  it('goes on untraced through the Koa middleware, next() called once', async () => {
    const context = Object.defineProperty({}, 'req', {
      get: () => {
        throw new Error('unreadable');
      },
    });
    let nexts = 0;
    await koaTracing({ serviceName: 'svc' })(context as never, async () => void nexts++);
    expect(nexts).toBe(1);
    expect(otel.spans()).toEqual([]);
    expect(diagnostics.warnings('koaTracing() failed')).toHaveLength(1);
  });
});
