/**
 * The plain-terminal platform: how the CLI prints diagnostics, progress and results. GitHub and
 * GitLab adapters render the same objects their own way (annotations, Code Quality, summaries).
 */
import { formatDiagnostic, type Diagnostic } from '../spec/diagnostics.js';

/** Where output goes; injected so tests capture it instead of patching process.stdout. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** The real process streams. */
export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** An Output that keeps everything in memory (tests, and capturing a body for a summary). */
export function memoryOutput(): Output & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    out(text: string) {
      o.stdout += text;
    },
    err(text: string) {
      o.stderr += text;
    },
  };
  return o;
}

/** Diagnostics as `file:line:col: severity: message` lines (with hints), one block each. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('');
}

/** Diagnostics as stable JSON objects (the `--format json` contract). */
export function diagnosticsToJson(diagnostics: readonly Diagnostic[]): object[] {
  return diagnostics.map((d) => ({
    file: d.file,
    line: d.line,
    column: d.column,
    ...(d.endLine !== undefined ? { endLine: d.endLine } : {}),
    ...(d.endColumn !== undefined ? { endColumn: d.endColumn } : {}),
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
  }));
}

/** "1 error, 2 warnings" — counts for a closing line. */
export function countSummary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
