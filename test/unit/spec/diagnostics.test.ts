import { describe, expect, it } from 'vitest';
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../../../src/spec/diagnostics.js';

const d = (line: number, column: number, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  file: 'pipeline-specs/a.yaml', line, column, severity, code: 'test', message: `at ${line}:${column}`,
});

describe('diagnostics', () => {
  it('formats as file:line:col with the hint on its own line', () => {
    expect(formatDiagnostic({ ...d(3, 7), hint: 'do this' })).toBe(
      'pipeline-specs/a.yaml:3:7: error: at 3:7\n  hint: do this',
    );
  });
  it('sorts by line then column', () => {
    expect(sortDiagnostics([d(5, 1), d(2, 9), d(2, 3)]).map((x) => `${x.line}:${x.column}`)).toEqual(['2:3', '2:9', '5:1']);
  });
  it('warnings alone are not errors', () => {
    expect(hasErrors([d(1, 1, 'warning')])).toBe(false);
    expect(hasErrors([d(1, 1, 'warning'), d(1, 2)])).toBe(true);
  });
});
