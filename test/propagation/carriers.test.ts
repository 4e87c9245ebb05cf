// The carrier adapters on the header shapes apps hold: plain objects, fetch Headers, Node's OutgoingMessage.
import { OutgoingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { incomingHeadersGetter, outgoingHeadersSetter } from '../../src/propagation/carriers.js';

describe('outgoingHeadersSetter', () => {
  it('sets a header on a plain object, replacing the same name in another case', () => {
    const headers: Record<string, string> = { Traceparent: 'old', accept: 'text/plain' };
    outgoingHeadersSetter.set(headers, 'traceparent', 'new');
    expect(headers).toEqual({ accept: 'text/plain', traceparent: 'new' });
  });

  it('sets a header on a fetch Headers instance', () => {
    const headers = new Headers({ accept: 'text/plain' });
    outgoingHeadersSetter.set(headers, 'X-Trace-Info', 'token');
    expect([...headers.entries()]).toEqual([
      ['accept', 'text/plain'],
      ['x-trace-info', 'token'],
    ]);
  });

  it("sets a header on Node's OutgoingMessage", () => {
    const message = new OutgoingMessage();
    outgoingHeadersSetter.set(message, 'traceparent', 'value');
    expect(message.getHeader('traceparent')).toBe('value');
  });
});

describe('incomingHeadersGetter', () => {
  it.each([
    ['lower-case IncomingHttpHeaders', { traceparent: 'v' }, 'v'],
    ['a plain object in mixed case', { TraceParent: 'v' }, 'v'],
    ['a repeated header as its list', { traceparent: ['a', 'b'] }, ['a', 'b']],
    ['a number as text', { traceparent: 7 }, '7'],
    ['an absent header', { other: 'v' }, undefined],
    ['a fetch Headers instance', new Headers({ TraceParent: 'v' }), 'v'],
  ])('reads %s', (_name, carrier, expected) => {
    expect(incomingHeadersGetter.get(carrier, 'traceparent')).toEqual(expected);
  });

  it('lists the keys of plain objects and of fetch Headers', () => {
    expect(incomingHeadersGetter.keys({ a: '1', B: '2' })).toEqual(['a', 'B']);
    expect(incomingHeadersGetter.keys(new Headers({ a: '1', B: '2' }))).toEqual(['a', 'b']);
  });
});
