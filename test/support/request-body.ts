// Reading a request body in the collector doubles, with a cap so that a runaway sender cannot fill the test's memory.
import type { IncomingMessage } from 'node:http';

const MAX_BODY = 5 * 1024 * 1024;

/** The whole body of `req`; the request is destroyed (and the promise rejects) past 5 MiB. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
