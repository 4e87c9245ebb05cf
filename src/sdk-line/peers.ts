// Loads the OpenTelemetry SDK packages tomograph uses from the app's own installation. They are optional peer
// dependencies: tomograph brings no SDK of its own, so an app on the 2.x line (API 1.9) and an app on the 3.x line
// (API 1.10) each get their own classes, and npm never installs a second line beside theirs. They are loaded on
// first use (configure(), createZipkinBackend(), createPropagator()), so a package a user does not need (B3, Zipkin)
// need not be installed, and one that is missing is named in a TomographError with the command that installs it.
import { createRequire } from 'node:module';
import { TomographError } from '../errors.js';
import { apiLine, type OtelLine } from './api-line.js';

/** The SDK packages tomograph may load, by what each is for. */
export type PeerName =
  | '@opentelemetry/sdk-trace-base'
  | '@opentelemetry/sdk-trace'
  | '@opentelemetry/context-async-hooks'
  | '@opentelemetry/core'
  | '@opentelemetry/resources'
  | '@opentelemetry/exporter-zipkin'
  | '@opentelemetry/propagator-b3'
  | '@opentelemetry/exporter-trace-otlp-proto'
  | '@opentelemetry/exporter-trace-otlp-http';

// The versions the README's install commands name; a user told to install a package gets the same ones.
const VERSION_FOR: Record<OtelLine, Record<PeerName, string>> = {
  '2.x': {
    '@opentelemetry/sdk-trace-base': '^2.12.1',
    '@opentelemetry/sdk-trace': '^2.12.1',
    '@opentelemetry/context-async-hooks': '^2.12.1',
    '@opentelemetry/core': '^2.12.1',
    '@opentelemetry/resources': '^2.12.1',
    '@opentelemetry/exporter-zipkin': '^2.12.1',
    '@opentelemetry/propagator-b3': '^2.12.0',
    '@opentelemetry/exporter-trace-otlp-proto': '^0.223.1',
    '@opentelemetry/exporter-trace-otlp-http': '^0.223.1',
  },
  '3.x': {
    '@opentelemetry/sdk-trace-base': '^2.12.1', // never asked for on this line: SDK 3 has no sdk-trace-base
    '@opentelemetry/sdk-trace': '^3.1.1',
    '@opentelemetry/context-async-hooks': '^3.1.1',
    '@opentelemetry/core': '^3.1.1',
    '@opentelemetry/resources': '^3.1.1',
    '@opentelemetry/exporter-zipkin': '^3.1.0',
    '@opentelemetry/propagator-b3': '^3.1.0',
    '@opentelemetry/exporter-trace-otlp-proto': '^0.301.0',
    '@opentelemetry/exporter-trace-otlp-http': '^0.301.0',
  },
};

// Resolved from tomograph's own location, which npm places in the app's node_modules beside its peers.
const requireFromHere = createRequire(import.meta.url);

/** The command that installs `name` for the app's line, as configure() and the README say it. */
export function installCommandFor(name: PeerName, line: OtelLine = apiLine()): string {
  return `npm install ${name}@${VERSION_FOR[line][name]}`;
}

/** True when `name` can be loaded from the app's installation. */
export function hasPeer(name: PeerName): boolean {
  try {
    requireFromHere.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The module `name` from the app's installation. Throws TomographError('MISSING_PACKAGE') naming the install
 * command for the app's line when it is not installed; `why` says what needs it.
 */
export function loadPeer<T>(name: PeerName, why: string): T {
  try {
    return requireFromHere(name) as T;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw error;
    const line = apiLine();
    throw new TomographError(
      'MISSING_PACKAGE',
      `${why} needs ${name}, which is not installed; install it with: ${installCommandFor(name, line)} ` +
        `(the ${line === '3.x' ? 'OpenTelemetry 3.x line, for @opentelemetry/api 1.10' : 'OpenTelemetry 2.x line, for @opentelemetry/api 1.9'})`,
      { cause: error },
    );
  }
}

/**
 * Checks that every package of `names` is installed; throws one TomographError('MISSING_PACKAGE') naming all the
 * missing ones in a single install command for the app's line, so that a user installs once, not once per try.
 */
export function requirePeers(names: readonly PeerName[], why: string): void {
  const missing = [...new Set(names)].filter((name) => !hasPeer(name));
  if (missing.length === 0) return;
  const line = apiLine();
  throw new TomographError(
    'MISSING_PACKAGE',
    `${why} needs ${missing.join(', ')}, not installed; install ${missing.length === 1 ? 'it' : 'them'} with: ` +
      `npm install ${missing.map((name) => `${name}@${VERSION_FOR[line][name]}`).join(' ')} ` +
      `(the ${line === '3.x' ? 'OpenTelemetry 3.x line, for @opentelemetry/api 1.10' : 'OpenTelemetry 2.x line, for @opentelemetry/api 1.9'})`,
  );
}

/** The trace SDK package the app's line needs when none is installed (sdk-trace 2.9+ also serves the 2.x line). */
export function traceSdkPackage(line: OtelLine = apiLine()): PeerName {
  if (line === '3.x') return '@opentelemetry/sdk-trace';
  return hasPeer('@opentelemetry/sdk-trace-base') || !hasPeer('@opentelemetry/sdk-trace')
    ? '@opentelemetry/sdk-trace-base'
    : '@opentelemetry/sdk-trace';
}
