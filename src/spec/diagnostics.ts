/**
 * Diagnostics: one shape for every problem the kit reports about user input. The same object
 * becomes a `file:line:col: message` terminal line, a GitHub annotation and a GitLab Code
 * Quality entry, so it carries everything those need and nothing platform-specific.
 */

export type Severity = 'error' | 'warning';

/** A 1-based position in a source file. */
export interface Position {
  line: number;
  column: number;
}

export interface Diagnostic {
  /** Path of the file as the user named it (relative paths stay relative: no absolute paths leak). */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  /** Stable identifier of the rule that fired, e.g. `schema`, `unknown-step`, `cycle`. */
  code: string;
  message: string;
  /** How to fix it, when the kit can say. */
  hint?: string;
  /** JSON pointer of the offending value inside the spec (`/steps/2/inputs/0/source`). */
  pointer?: string;
}

/** Sorts diagnostics the way a reader scans a file: by file, line, column, then message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.message.localeCompare(b.message),
  );
}

/** True when any diagnostic is an error (warnings never fail a command). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:col: severity: message` plus an indented hint line — the terminal form. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}
