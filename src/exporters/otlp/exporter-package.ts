// Loading the stock OTLP trace exporter from the app's own installation, only when the 'otlp' backend is chosen.
// Why lazily and as an optional peer: the exporter must be of the app's OpenTelemetry line (0.2xx with SDK 2,
// 0.30x with SDK 3), so tomograph never installs one of its own, and apps without OTLP never load it.
import { createRequire } from 'node:module';
import type { SdkSpanExporter as SpanExporter } from '../../sdk-line/types.js';
import { TomographError } from '../../errors.js';
import { installCommandFor } from '../../sdk-line/peers.js';
import type { OtlpProtocol } from './options.js';

/** The exporter package each protocol needs. */
export const OTLP_EXPORTER_PACKAGES: Readonly<
  Record<OtlpProtocol, '@opentelemetry/exporter-trace-otlp-proto' | '@opentelemetry/exporter-trace-otlp-http'>
> = {
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
};

/** The stock exporter's configuration, as far as tomograph sets it; the rest comes from OTEL_EXPORTER_OTLP_*. */
export interface StockOtlpExporterConfig {
  url?: string;
  headers?: Record<string, string>;
  timeoutMillis?: number;
}

/** `OTLPTraceExporter` of either package and either line, as tomograph uses it. */
export type StockOtlpExporterClass = new (config: StockOtlpExporterConfig) => SpanExporter;

/** Loads a package by name: require() resolved from tomograph's own location (so from the app's node_modules). */
export type PackageLoader = (name: string) => unknown;

// A require() made from this module's own URL in both builds (the CommonJS build derives import.meta.url from
// __filename); a bare `require` would become the bundler's shim in the ES module build, which refuses to load.
const loadPackage: PackageLoader = (name) => createRequire(import.meta.url)(name) as unknown;

function isMissing(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // Only the package itself being absent; a package that is there but fails to load is a different problem.
  return (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && String((error as Error).message).includes(name)
  );
}

/**
 * The OTLPTraceExporter class for `protocol`, from the app's installation. Throws TomographError
 * `MISSING_PACKAGE` naming the package to install when it is absent or is not an OTLP exporter package.
 */
export function loadOtlpExporterClass(
  protocol: OtlpProtocol,
  load: PackageLoader = loadPackage,
): StockOtlpExporterClass {
  const name = OTLP_EXPORTER_PACKAGES[protocol];
  // The exporter of the app's own line: 0.2xx beside SDK 2 (API 1.9), 0.30x beside SDK 3 (API 1.10).
  const install = installCommandFor(name);
  let loaded: unknown;
  try {
    loaded = load(name);
  } catch (error) {
    if (isMissing(error, name)) {
      throw new TomographError(
        'MISSING_PACKAGE',
        `the 'otlp' backend with protocol ${protocol} needs the package ${name}: ${install}`,
        { cause: error },
      );
    }
    throw new TomographError(
      'MISSING_PACKAGE',
      `the package ${name} is installed but failed to load: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
  }
  const exporterClass = (loaded as { OTLPTraceExporter?: unknown } | null)?.OTLPTraceExporter;
  if (typeof exporterClass !== 'function') {
    throw new TomographError('MISSING_PACKAGE', `the package ${name} has no OTLPTraceExporter: ${install}`);
  }
  return exporterClass as StockOtlpExporterClass;
}
