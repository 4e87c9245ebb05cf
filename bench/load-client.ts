// The load generator of the HTTP benchmark, in a process of its own so that it does not share the app's event loop:
// `connections` keep-alive connections, each sending its next GET as soon as the last one is answered, for
// `seconds`. Prints one JSON line: requests answered and errors.
//   node --import tsx bench/load-client.ts <port> <seconds> <connections>
import { Agent, request } from 'node:http';

const [port, seconds, connections] = process.argv.slice(2).map(Number) as [number, number, number];
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const deadline = Date.now() + seconds * 1000;
let answered = 0;
let errors = 0;

function loop(): Promise<void> {
  return new Promise((resolve) => {
    const next = (): void => {
      if (Date.now() >= deadline) {
        resolve();
        return;
      }
      const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) answered += 1;
          else errors += 1;
          next();
        });
      });
      req.on('error', () => {
        errors += 1;
        next();
      });
      req.end();
    };
    next();
  });
}

await Promise.all(Array.from({ length: connections }, loop));
agent.destroy();
process.stdout.write(`${JSON.stringify({ answered, errors })}\n`);
