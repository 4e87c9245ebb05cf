// The endpoint (address, port) a server span records for a request: the local socket that received it.
// Why not the Host header, as the Python original read `request.host`: it is whatever the client sent, and the
// endpoint becomes part of statsd metric names, so a client could mint unbounded metric names.

/** The parts of a request the endpoint is read from (Node's IncomingMessage has them). */
export interface RequestSocketLike {
  socket?: { localAddress?: string | undefined; localPort?: number | undefined } | null;
}

/** The server's own address and port for this request, when the socket knows them. */
export function requestEndpoint(request: RequestSocketLike): { address?: string; port?: number } {
  const socket = request.socket ?? undefined;
  const endpoint: { address?: string; port?: number } = {};
  const address = socket?.localAddress;
  // An IPv4 client on a dual-stack listener shows as ::ffff:a.b.c.d; Zipkin and statsd names want a.b.c.d.
  if (typeof address === 'string' && address !== '')
    endpoint.address = address.startsWith('::ffff:') ? address.slice(7) : address;
  const port = socket?.localPort;
  if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535) endpoint.port = port;
  return endpoint;
}
