// Run by transport.test.ts in a child process, against a TCP peer that accepts and never reads. Args: port, mode.
// 'exporter': the app exports a large batch and never calls shutdown(); the process must still exit.
// 'configure': configure() with statsd over TCP, spans, then shutdown(); the process must exit after it resolves.
import { configure, start, stop } from '../../src/index.js';
import { StatsdSpanExporter } from '../../src/statsd.js';

const port = Number(process.argv[2]);
const span = {
  name: 'operation-with-a-long-name',
  duration: [0, 1_000_000] as [number, number],
  attributes: { 'service.name': 's' },
  events: [],
};

if (process.argv[3] === 'exporter') {
  const exporter = new StatsdSpanExporter({ port, protocol: 'tcp', shutdownTimeoutMillis: 500 });
  // About 9 MB of lines: more than both kernel buffers hold, so writes stop completing.
  exporter.export(
    Array.from({ length: 100_000 }, () => span),
    (result) => {
      console.log(`exported ${result.code}`);
      console.log(`linesDropped ${exporter.getStats().linesDropped}`);
    },
  );
} else {
  const tomograph = configure({
    backends: ['statsd'],
    statsd: { port, protocol: 'tcp', shutdownTimeoutMillis: 500 },
    shutdownTimeoutMillis: 1000,
  });
  for (let i = 0; i < 100_000; i += 1) {
    start('s', 'operation-with-a-long-name', '127.0.0.1', 1);
    stop('operation-with-a-long-name');
  }
  await tomograph.shutdown();
  console.log('shut down');
}
