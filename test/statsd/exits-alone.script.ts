// Run by lifecycle.test.ts in a child process: an exporter that exported a span and was never shut down must not
// keep the process alive (its flush timer and socket are unref'd). Args: port, protocol.
import { StatsdSpanExporter } from '../../src/statsd.js';

const exporter = new StatsdSpanExporter({
  port: Number(process.argv[2]),
  protocol: process.argv[3] as 'udp' | 'tcp',
  flushIntervalMillis: 60_000,
});
exporter.export(
  [{ name: 'op', duration: [0, 1_000_000], attributes: { 'service.name': 's' }, events: [] }],
  (result) => {
    console.log(`exported ${result.code}`);
  },
);
