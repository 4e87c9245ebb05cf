// Captures what OpenTelemetry's `diag` is told during a test, to assert that a drop or a misuse is reported.
import { diag, DiagLogLevel } from '@opentelemetry/api';

export interface DiagCapture {
  readonly messages: { level: 'error' | 'warn' | 'info' | 'debug' | 'verbose'; text: string }[];
  /** Messages at warn level or above whose text contains `fragment`. */
  warnings(fragment?: string): string[];
  restore(): void;
}

export function captureDiag(level: DiagLogLevel = DiagLogLevel.WARN): DiagCapture {
  const messages: DiagCapture['messages'] = [];
  const record =
    (lvl: DiagCapture['messages'][number]['level']) =>
    (text: string, ...args: unknown[]) => {
      messages.push({
        level: lvl,
        text: [text, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(' '),
      });
    };
  diag.setLogger(
    {
      error: record('error'),
      warn: record('warn'),
      info: record('info'),
      debug: record('debug'),
      verbose: record('verbose'),
    },
    { logLevel: level, suppressOverrideMessage: true },
  );
  return {
    messages,
    warnings: (fragment) =>
      messages
        .filter(
          (m) => (m.level === 'warn' || m.level === 'error') && (fragment === undefined || m.text.includes(fragment)),
        )
        .map((m) => m.text),
    restore: () => diag.disable(),
  };
}
