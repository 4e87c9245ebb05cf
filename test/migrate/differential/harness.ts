// What one differential case runs in, in a process of its own: one SDK provider registered globally with the W3C
// propagator, whose spans go to the StatsdSpanExporter (its lines read back from a UDP socket on loopback) and to
// an in-memory exporter; then the case's `run()`, which may throw (recorded too). Prints the recording as JSON on
// stdout: statsd lines (timer values masked) and every finished span (name, parent, attributes, events, status).
// differential.test.ts bundles this with each case, before and after the migration, into one script per run.
import { createSocket } from 'node:dgram';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { StatsdSpanExporter } from 'tomograph/statsd';
import { newMemoryExporter, newProvider, simpleProcessor, type ReadableSpan } from '../../support/sdk-line.js';
import { parentIdOf } from '../../support/otel.js';

/** What a run recorded. */
export interface Recorded {
  readonly lines: string[];
  readonly spans: string[];
  readonly threw?: string;
}

function describeSpans(spans: readonly ReadableSpan[]): string[] {
  const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
  return spans.map((span) => {
    const parentId = parentIdOf(span);
    const parent = parentId === undefined ? '(root)' : (byId.get(parentId)?.name ?? '(remote)');
    const events = span.events.map((event) => {
      // A stack names the file and line it was thrown at, which the rewrite moves.
      const attributes = Object.entries(event.attributes ?? {}).filter(([key]) => key !== 'exception.stacktrace');
      return `${event.name}${attributes.length === 0 ? '' : JSON.stringify(Object.fromEntries(attributes))}`;
    });
    return `${span.name} ← ${parent} ${JSON.stringify(span.attributes)} [${events.join(', ')}] status=${span.status.code}`;
  });
}

/** Sets up the pipeline, then loads the case (a thunk, so that its module-level code runs with the SDK registered). */
export async function runCase(load: () => Promise<{ run: () => unknown }>): Promise<void> {
  const lines: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (message) =>
    lines.push(
      ...message
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== ''),
    ),
  );
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const memory = newMemoryExporter();
  const statsd = new StatsdSpanExporter({ host: '127.0.0.1', port: socket.address().port });
  const provider = newProvider({ spanProcessors: [simpleProcessor(statsd), simpleProcessor(memory)] });
  trace.setGlobalTracerProvider(provider);

  let threw: string | undefined;
  try {
    const loaded = await load();
    await loaded.run();
  } catch (error) {
    threw = error instanceof Error ? error.message : String(error);
  }
  // Timers a case leaves behind fire within this wait, as they would in a service that keeps running.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await provider.forceFlush();
  const spans = describeSpans(memory.getFinishedSpans());
  await provider.shutdown();
  // UDP gives no end marker: wait until no line has arrived for 100 ms.
  let seen = -1;
  while (lines.length !== seen) {
    seen = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  socket.close();
  const recorded: Recorded = {
    lines: lines.map((line) => line.replace(/:\d+(?:\.\d+)?\|ms/, ':<ms>|ms')),
    spans,
    ...(threw === undefined ? {} : { threw }),
  };
  process.stdout.write(JSON.stringify(recorded));
}
