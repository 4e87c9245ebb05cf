// Host name lookups for the statsd sockets, cached with a bound: answers (failures included) are kept for a time
// and for a bounded number of names, and concurrent lookups of one name share one query. Without it a datagram
// socket looks the name up again for every datagram, and an unresolvable host queues a lookup per datagram in
// libuv's small thread pool, ahead of the application's own.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The signature `dgram.createSocket({ lookup })` and `net.connect({ lookup })` call. */
export type LookupFunction = (
  hostname: string,
  options: { all?: boolean; family?: number | string } | number | undefined,
  callback: LookupCallback,
) => void;

/** The address family a socket asks for (4 from a `udp4` socket, 6 from `udp6`, 0 or none for either). */
function familyAskedIn(options: Parameters<LookupFunction>[1]): number {
  const family = typeof options === 'number' ? options : options?.family;
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

interface Entry {
  readonly expires: number;
  readonly error: NodeJS.ErrnoException | undefined;
  readonly addresses: readonly LookupAddress[];
  /** The addresses of each family, filtered once: a socket asks again for every datagram it sends. */
  readonly v4: readonly LookupAddress[];
  readonly v6: readonly LookupAddress[];
}

export interface DnsCacheOptions {
  /** How long an answer is kept. @default 60000 */
  ttlMillis?: number;
  /** How long a failure is kept: shorter, so a name that starts to resolve is picked up soon. @default 5000 */
  failureTtlMillis?: number;
  /** Names kept at most; the oldest goes first. @default 64 */
  maxNames?: number;
  /** The resolver; tests and odd platforms may pass their own. @default dns.lookup */
  resolve?: (
    hostname: string,
    callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
  ) => void;
  now?: () => number;
}

const systemResolve = (
  hostname: string,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
): void => {
  dnsLookup(hostname, { all: true }, callback);
};

export class DnsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Array<(entry: Entry) => void>>();
  private readonly ttl: number;
  private readonly failureTtl: number;
  private readonly maxNames: number;
  private readonly resolve: NonNullable<DnsCacheOptions['resolve']>;
  private readonly now: () => number;
  /** Queries actually sent to the resolver, for tests and stats. */
  queries = 0;

  constructor(options: DnsCacheOptions = {}) {
    this.ttl = options.ttlMillis ?? 60_000;
    this.failureTtl = options.failureTtlMillis ?? 5000;
    this.maxNames = options.maxNames ?? 64;
    this.resolve = options.resolve ?? systemResolve;
    this.now = options.now ?? Date.now;
  }

  /** A lookup function for Node's sockets, answered from this cache. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const all = typeof options === 'object' && options !== null && options.all === true;
    // A `udp4` socket asks for family 4: an IPv6 answer first (`localhost` is `::1` first on many systems) would
    // make every send fail with EINVAL. Only the addresses of the family asked for are answered, as dns.lookup does.
    const family = familyAskedIn(options);
    this.get(hostname, (entry) => {
      if (entry.error !== undefined) {
        callback(entry.error, all ? [] : '');
        return;
      }
      const addresses = family === 0 ? entry.addresses : family === 4 ? entry.v4 : entry.v6;
      if (addresses.length === 0)
        callback(
          Object.assign(new Error(`no IPv${family} address for ${hostname}`), { code: 'ENOTFOUND' }),
          all ? [] : '',
        );
      else if (all) callback(null, [...addresses]);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  private get(hostname: string, answer: (entry: Entry) => void): void {
    const cached = this.entries.get(hostname);
    if (cached !== undefined && cached.expires > this.now()) {
      // Sockets expect an asynchronous answer, as dns.lookup gives.
      process.nextTick(answer, cached);
      return;
    }
    const waiting = this.inFlight.get(hostname);
    if (waiting !== undefined) {
      waiting.push(answer);
      return;
    }
    this.inFlight.set(hostname, [answer]);
    this.queries += 1;
    this.resolve(hostname, (error, addresses) => {
      // dns.lookup gives no list at all with an error.
      addresses ??= [];
      const failed =
        error ??
        (addresses.length === 0
          ? Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' })
          : undefined);
      const entry: Entry = {
        expires: this.now() + (failed ? this.failureTtl : this.ttl),
        error: failed ?? undefined,
        addresses,
        v4: addresses.filter((address) => address.family === 4),
        v6: addresses.filter((address) => address.family === 6),
      };
      this.remember(hostname, entry);
      const callbacks = this.inFlight.get(hostname) ?? [];
      this.inFlight.delete(hostname);
      for (const callback of callbacks) callback(entry);
    });
  }

  private remember(hostname: string, entry: Entry): void {
    this.entries.delete(hostname);
    if (this.entries.size >= this.maxNames) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(hostname, entry);
  }

  /** Names cached now (expired ones included until replaced). */
  get size(): number {
    return this.entries.size;
  }
}
