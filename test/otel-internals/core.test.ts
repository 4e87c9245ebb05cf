// The private context keys of @opentelemetry/core that src/otel-internals reads, against the core installed in this
// run (2.x or 3.x): what core's own setters write, ours read, and the other way round.
import { ROOT_CONTEXT, type Span } from '@opentelemetry/api';
import {
  isTracingSuppressed,
  RPCType,
  setRPCMetadata,
  suppressTracing as coreSuppressTracing,
} from '@opentelemetry/core';
import { expect, it } from 'vitest';
import { httpServerSpanIn, OTEL_SUPPRESS_TRACING_KEY, suppressTracing } from '../../src/otel-internals/index.js';
import { newProvider } from '../support/sdk-line.js';

const moved = (read: string, what: string): string =>
  `otel-internals ${read}: ${what} in the installed @opentelemetry/core; update src/otel-internals/index.ts`;

it("OTEL_RPC_METADATA_KEY: httpServerSpanIn reads the span core's setRPCMetadata() stores for HTTP", () => {
  const span: Span = newProvider().getTracer('probe').startSpan('server');
  const ctx = setRPCMetadata(ROOT_CONTEXT, { type: RPCType.HTTP, span });
  expect(httpServerSpanIn(ctx), moved('OTEL_RPC_METADATA_KEY', 'setRPCMetadata() writes another key or shape')).toBe(
    span,
  );
  expect(RPCType.HTTP, moved('OTEL_RPC_METADATA_KEY', "RPCType.HTTP is no longer 'http'")).toBe('http');
  expect(httpServerSpanIn(ROOT_CONTEXT)).toBeUndefined();
  span.end();
});

it("OTEL_SUPPRESS_TRACING_KEY: core's isTracingSuppressed() sees our suppressTracing(), and we write its key", () => {
  expect(
    isTracingSuppressed(suppressTracing(ROOT_CONTEXT)),
    moved('OTEL_SUPPRESS_TRACING_KEY', 'isTracingSuppressed() reads another key'),
  ).toBe(true);
  expect(
    coreSuppressTracing(ROOT_CONTEXT).getValue(OTEL_SUPPRESS_TRACING_KEY),
    moved('OTEL_SUPPRESS_TRACING_KEY', 'suppressTracing() writes another key'),
  ).toBe(true);
  expect(isTracingSuppressed(ROOT_CONTEXT)).toBe(false);
});
