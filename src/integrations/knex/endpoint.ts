// Which database a knex client talks to: system, host, port and database name, read from its connection
// settings. Pure. Only these fields are ever read, so user names, passwords and the rest of a connection
// string never reach a span.

/** The parts of a knex client this module reads (a structural type, so tomograph does not depend on knex). */
export interface KnexClientShape {
  driverName?: unknown;
  config?: { client?: unknown; connection?: unknown };
  /** The resolved connection settings (knex fills it in later when `connection` is a function). */
  connectionSettings?: unknown;
}

/** Where statements go, as recorded on notes and spans. */
export interface DatabaseEndpoint {
  /** `db.system.name`, e.g. 'postgresql', 'sqlite'. */
  readonly system: string;
  /** The endpoint address: the configured host, or 127.0.0.1 for a database without one (SQLite). */
  readonly address: string;
  /** The endpoint port: the configured port, or 0 when none is configured (the legacy default). */
  readonly port: number;
  /** The configured host, when there is one (`server.address`). */
  readonly serverAddress?: string;
  /** The configured port, when there is one (`server.port`). */
  readonly serverPort?: number;
  /** The database name, or the file of an SQLite database (`db.namespace`). */
  readonly namespace?: string;
}

// knex driver names -> OTel `db.system.name` values (semantic-conventions 1.45; stable where they exist).
const SYSTEMS: Readonly<Record<string, string>> = {
  pg: 'postgresql',
  pgnative: 'postgresql',
  'pg-redshift': 'aws.redshift',
  cockroachdb: 'cockroachdb',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mariadb',
  mssql: 'microsoft.sql_server',
  oracledb: 'oracle.db',
  oracle: 'oracle.db',
};

/** The address given to an embedded database: it runs in this process, on this machine. */
const LOCAL_ADDRESS = '127.0.0.1';

function systemOf(client: KnexClientShape): string {
  const driver = typeof client.driverName === 'string' ? client.driverName : client.config?.client;
  return (typeof driver === 'string' && SYSTEMS[driver]) || 'other_sql';
}

function portOf(value: unknown): number | undefined {
  const port = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : value;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

interface Location {
  host?: string | undefined;
  port?: number | undefined;
  database?: string | undefined;
}

/** Host, port and database of a connection URL; anything else in it (user, password, query) is ignored. */
function fromUrl(text: string): Location {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {}; // libpq 'key=value' strings and other non-URLs: nothing we can read without touching secrets.
  }
  return {
    host: nonEmpty(url.hostname.replace(/^\[(.*)\]$/, '$1')),
    port: portOf(url.port),
    database: nonEmpty(decodeURIComponent(url.pathname.replace(/^\//, ''))),
  };
}

function fromSettings(settings: unknown): Location {
  if (typeof settings === 'string') return fromUrl(settings);
  if (typeof settings !== 'object' || settings === null) return {};
  const s = settings as Record<string, unknown>;
  const url = typeof s.connectionString === 'string' ? fromUrl(s.connectionString) : {};
  return {
    host: nonEmpty(s.host) ?? nonEmpty(s.server) ?? url.host,
    port: portOf(s.port) ?? url.port,
    database: nonEmpty(s.database) ?? nonEmpty(s.filename) ?? url.database,
  };
}

/** The endpoint of the database `client` is configured for. */
export function databaseEndpoint(client: KnexClientShape): DatabaseEndpoint {
  const settings = client.connectionSettings ?? client.config?.connection;
  const { host, port, database } = fromSettings(settings);
  return {
    system: systemOf(client),
    address: host ?? LOCAL_ADDRESS,
    port: port ?? 0,
    ...(host !== undefined && { serverAddress: host }),
    ...(port !== undefined && { serverPort: port }),
    ...(database !== undefined && { namespace: database }),
  };
}
