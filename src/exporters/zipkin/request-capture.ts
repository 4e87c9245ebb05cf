// Finds the HTTP request the stock ZipkinExporter opens for one export, so that tomograph can abandon it.
// Why: the stock exporter sets no timeout, and a collector that accepts the connection and never answers keeps
// its export pending forever and the process alive. The exporter calls `http.request` synchronously inside
// `export()`, so wrapping `request` for exactly that synchronous call sees only the exporter's own request.
import http, { type ClientRequest } from 'node:http';
import https from 'node:https';

type RequestModule = { request: typeof http.request };

/** Runs `run()`; every ClientRequest that http or https creates while it runs is passed to `onRequest`. */
export function captureClientRequests<T>(run: () => T, onRequest: (request: ClientRequest) => void): T {
  const modules: RequestModule[] = [http as RequestModule, https as unknown as RequestModule];
  const originals = modules.map((module) => module.request);
  let patched = 0;
  try {
    for (const [index, module] of modules.entries()) {
      const original = originals[index] as typeof http.request;
      module.request = function capturingRequest(this: unknown, ...args: unknown[]) {
        const request = (original as (...a: unknown[]) => ClientRequest).apply(this, args);
        onRequest(request);
        return request;
      } as typeof http.request;
      patched++;
    }
  } catch {
    // A frozen module cannot be wrapped: the export still runs, only without a way to abandon it.
  }
  try {
    return run();
  } finally {
    for (let index = 0; index < patched; index++) (modules[index] as RequestModule).request = originals[index] as typeof http.request;
  }
}
