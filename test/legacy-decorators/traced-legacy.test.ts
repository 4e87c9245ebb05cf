// traced() under `experimentalDecorators` (the legacy TypeScript decorators many codebases still compile with).
// This folder has its own tsconfig so that both the type-check and the test transform use legacy decorators.
import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { traced } from 'tomograph';
import { setupOtel, type OtelHarness } from '../support/otel.js';

let otel: OtelHarness;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(() => otel.teardown());

class Registry {
  prefix = 'img-';

  @traced(null, 'get image')
  async get(id: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return `${this.prefix}${id}`;
  }

  @traced('registry', 'fail')
  fail(): void {
    throw new TypeError('bad');
  }
}

it('spans an async method decorated the legacy way, with the class as the service', async () => {
  expect(await new Registry().get(7)).toBe('img-7');
  expect(otel.span('get image').attributes['service.name']).toBe('Registry');
});

it('marks a throwing legacy-decorated method ERROR and rethrows', () => {
  expect(() => new Registry().fail()).toThrow(TypeError);
  expect(otel.span('fail').status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad' });
});

// Proof that this file really compiles with legacy decorators (three arguments), so the cases above could fail.
let decoratorArity = 0;
function probe(...args: unknown[]): void {
  decoratorArity = args.length;
}
class Probe {
  @probe
  method(): void {}
}

it('is compiled with experimentalDecorators (a decorator receives target, key and descriptor)', () => {
  expect(new Probe()).toBeInstanceOf(Probe);
  expect(decoratorArity).toBe(3);
});
