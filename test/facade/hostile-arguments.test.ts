// No argument makes a facade call throw into the app outside strict mode: Proxies whose traps throw, revoked
// Proxies, objects whose text cannot be made, in every position of every public call. Each failure is reported.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addTraceInfoHeader,
  annotate,
  getTraceInfo,
  setStrictMode,
  start,
  startHttp,
  stop,
  tag,
  traced,
  middleware,
  traceRequestListener,
} from 'tomograph';
import { captureDiag, type DiagCapture } from '../support/diag.js';
import { setupOtel, type OtelHarness } from '../support/otel.js';

function throwingProxy(): object {
  return new Proxy(
    {},
    {
      get() {
        throw new Error('trap: get');
      },
      getPrototypeOf() {
        throw new Error('trap: getPrototypeOf');
      },
      has() {
        throw new Error('trap: has');
      },
      ownKeys() {
        throw new Error('trap: ownKeys');
      },
    },
  );
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const HOSTILE: Record<string, () => unknown> = {
  'a Proxy whose traps throw': throwingProxy,
  'a revoked Proxy': revokedProxy,
  'an object with a throwing toString': () => ({
    toString: () => {
      throw new Error('no text');
    },
  }),
  'an object without a prototype': () => Object.create(null) as object,
  'a symbol': () => Symbol('s'),
};

// Each call shape puts the hostile value in one position.
const CALLS: Record<string, (value: unknown) => unknown> = {
  'start(serviceName)': (v) => start(v as string, 'n'),
  'start(name)': (v) => start('s', v as string),
  'start(address)': (v) => start('s', 'n', v as string),
  'start(port)': (v) => start('s', 'n', 'h', v as number),
  'start(token)': (v) => start('s', 'n', 'h', 1, v as string),
  'stop(name)': (v) => stop(v as string),
  'annotate(value)': (v) => annotate(v as string),
  'annotate(options)': (v) => annotate('note', v as never),
  'tag(key)': (v) => tag(v as string, 1),
  'tag(value)': (v) => tag('k', v as never),
  'startHttp(request)': (v) => startHttp('s', 'n', v as never),
  'startHttp(request.headers)': (v) => startHttp('s', 'n', { headers: v } as never),
  'startHttp(options)': (v) => startHttp('s', 'n', { headers: {} } as never, v as never),
  'addTraceInfoHeader(headers)': (v) => addTraceInfoHeader(v as never),
  'traced(null) method on this': (v) =>
    traced(
      null,
      'm',
    )(function (this: unknown) {
      return 1;
    }).call(v),
  'traced(null) function on its first argument': (v) => traced(null, 'm')((_x: unknown) => 1)(v),
  'middleware request': (v) =>
    middleware({ serviceName: 's', name: 'n' })(
      v as never,
      { statusCode: 200, once: () => undefined } as never,
      () => undefined,
    ),
  'traceRequestListener request': (v) =>
    traceRequestListener({ serviceName: 's', name: 'n' }, () => undefined)(
      v as never,
      { statusCode: 200, once: () => undefined } as never,
    ),
};

let otel: OtelHarness;
let diagnostics: DiagCapture;
beforeEach(() => {
  otel = setupOtel();
  diagnostics = captureDiag();
});
afterEach(async () => {
  setStrictMode(false);
  diagnostics.restore();
  await otel.teardown();
});

describe('hostile arguments in default mode', () => {
  for (const [valueName, make] of Object.entries(HOSTILE)) {
    for (const [callName, call] of Object.entries(CALLS)) {
      it(`${callName} with ${valueName} does not throw`, () => {
        start('svc', 'around');
        expect(() => call(make())).not.toThrow();
        expect(() => getTraceInfo()).not.toThrow();
      });
    }
  }

  it('reports what it could not record through diag, in a bounded line', () => {
    annotate('note', throwingProxy() as never);
    const [line] = diagnostics.warnings('annotate()');
    expect(line).toBe("tomograph: annotate() failed on its arguments and recorded nothing: 'trap: get'");
  });
});

describe('hostile arguments in strict mode', () => {
  it('throw a TomographError whose cause is what the argument threw', () => {
    setStrictMode(true);
    expect(() => annotate('note', throwingProxy() as never)).toThrow(
      expect.objectContaining({
        name: 'TomographError',
        code: 'INVALID_ARGUMENT',
        cause: expect.objectContaining({ message: 'trap: get' }),
      }),
    );
  });
});
