// The one error type tomograph throws: at configuration time for bad options or a missing optional peer package,
// and in strict mode for misuse.

/** What went wrong, as a stable code a program can branch on. */
export type TomographErrorCode =
  | 'INVALID_OPTION'
  | 'ALREADY_CONFIGURED'
  | 'MISSING_PACKAGE'
  | 'STOP_UNKNOWN_NAME'
  /** No longer raised: a stop() under a span still open ends its own span only (that span may be a helper's). */
  | 'STOP_OUT_OF_ORDER'
  | 'STOP_WITHOUT_SPAN'
  | 'STOP_OUT_OF_SCOPE'
  | 'STOP_OWNED_SPAN'
  | 'NO_ACTIVE_SPAN'
  | 'INVALID_ARGUMENT'
  | 'INVALID_TOKEN';

/**
 * Thrown for bad options at configuration time, and for misuse when strict mode is on.
 * At run time, without strict mode, tomograph reports misuse through OpenTelemetry's `diag` instead.
 */
export class TomographError extends Error {
  override readonly name = 'TomographError';
  readonly code: TomographErrorCode;

  constructor(code: TomographErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `error` is a {@link TomographError}, whichever copy of tomograph made it. */
export function isTomographError(error: unknown): error is TomographError {
  return (
    error instanceof TomographError || (error instanceof Error && error.name === 'TomographError' && 'code' in error)
  );
}
