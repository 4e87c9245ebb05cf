// Runs a CommonJS corpus file as its user would: configure({ backends: ['statsd'] }) to the statsd daemon at
// argv[3]:argv[4], require(argv[2]), run its scenarios, shut down. Spawned by cjs-corpus.test.ts.
import { createRequire } from 'node:module';
import { configure } from 'tomograph';

const [file, host, port] = process.argv.slice(2);
const tomograph = configure({ backends: ['statsd'], statsd: { host: host!, port: Number(port) } });
const require = createRequire(import.meta.url);
const corpus = require(file!) as { scenarios: (() => unknown)[] };
for (const scenario of corpus.scenarios) await scenario();
await tomograph.shutdown();
