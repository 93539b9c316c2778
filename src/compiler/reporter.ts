/**
 * Collects the compiler's diagnostics, turning spec pointers into file positions through the
 * source map, so no phase deals with line numbers itself.
 */
import type { Diagnostic, Severity } from '../spec/diagnostics.js';
import type { SourceMap } from '../spec/source-map.js';

export interface Reporter {
  report(severity: Severity, code: string, pointer: string, message: string, hint?: string): void;
  readonly diagnostics: readonly Diagnostic[];
}

/** A reporter that records diagnostics located through `sourceMap`. */
export function createReporter(sourceMap: SourceMap): Reporter {
  const diagnostics: Diagnostic[] = [];
  return {
    diagnostics,
    report(severity, code, pointer, message, hint) {
      const span = sourceMap.spanOf(pointer);
      const diagnostic: Diagnostic = {
        file: sourceMap.file,
        line: span.start.line,
        column: span.start.column,
        endLine: span.end.line,
        endColumn: span.end.column,
        severity,
        code,
        message,
        pointer,
      };
      if (hint !== undefined) diagnostic.hint = hint;
      diagnostics.push(diagnostic);
    },
  };
}
