// The reads of resource async attributes that src/otel-internals makes, against @opentelemetry/resources of this
// run's line (2.x or 3.x) and SDK 1.30 (kept as an alias package).
import { resourceFromAttributes } from '@opentelemetry/resources';
import { Resource as Resource1 } from 'resources-1';
import { expect, it } from 'vitest';
import { hasPendingAttributes, isResourceSettling, resourceSettled } from '../../src/otel-internals/index.js';
import { LINE } from '../support/sdk-line.js';

const moved = (read: string, version: string, what: string): string =>
  `otel-internals ${read}: ${what} in the installed @opentelemetry/resources ${version}; update src/otel-internals/index.ts`;

const RESOURCES = [
  [
    '1.x',
    (value: Promise<string>) =>
      new Resource1(
        {},
        value.then((host) => ({ 'host.name': host })),
      ) as unknown,
    () => new Resource1({ 'host.name': 'h' }) as unknown,
  ],
  [
    LINE,
    (value: Promise<string>) => resourceFromAttributes({ 'host.name': value }) as unknown,
    () => resourceFromAttributes({ 'host.name': 'h' }) as unknown,
  ],
] as const;

it.each(RESOURCES)(
  'hasPendingAttributes, isResourceSettling, resourceSettled: a %s resource with a promised attribute',
  async (version, pending, settled) => {
    let resolve!: (host: string) => void;
    const resource = pending(new Promise<string>((r) => (resolve = r)));
    expect(hasPendingAttributes(resource), moved('hasPendingAttributes', version, 'asyncAttributesPending moved')).toBe(
      true,
    );
    expect(isResourceSettling(resource), moved('isResourceSettling', version, 'waitForAsyncAttributes() is gone')).toBe(
      true,
    );
    expect(hasPendingAttributes(settled())).toBe(false);
    resolve('settled-host');
    await resourceSettled(resource as never);
    expect(
      hasPendingAttributes(resource),
      moved('resourceSettled', version, 'waitForAsyncAttributes() does not settle the resource'),
    ).toBe(false);
    expect((resource as { attributes: Record<string, unknown> }).attributes['host.name']).toBe('settled-host');
  },
);
