/**
 * Building diagnostics from source-map spans: every phase of the loader reports through here so
 * that positions, file names and optional fields are filled the same way.
 */
import type { Diagnostic, Severity } from './diagnostics.js';
import type { SourceMap, Span } from './source-map.js';

export interface Problem {
  code: string;
  message: string;
  hint?: string | undefined;
  severity?: Severity;
}

/** A diagnostic at `span` of the source map's file (and `pointer`, when one is known). */
export function diagnosticAt(sourceMap: SourceMap, span: Span, problem: Problem, pointer?: string): Diagnostic {
  const d: Diagnostic = {
    file: sourceMap.file,
    line: Math.max(1, span.start.line),
    column: Math.max(1, span.start.column),
    endLine: Math.max(1, span.end.line),
    endColumn: Math.max(1, span.end.column),
    severity: problem.severity ?? 'error',
    code: problem.code,
    message: problem.message,
  };
  if (problem.hint) d.hint = problem.hint;
  if (pointer !== undefined) d.pointer = pointer;
  return d;
}

/** A diagnostic at the value the JSON pointer names (or its nearest recorded ancestor). */
export function diagnosticAtValue(sourceMap: SourceMap, pointer: string, problem: Problem): Diagnostic {
  return diagnosticAt(sourceMap, sourceMap.spanOf(pointer), problem, pointer);
}

/** A diagnostic at the key of the mapping member the JSON pointer names (falls back to its value). */
export function diagnosticAtKey(sourceMap: SourceMap, pointer: string, problem: Problem): Diagnostic {
  return diagnosticAt(sourceMap, sourceMap.keySpanOf(pointer), problem, pointer);
}
