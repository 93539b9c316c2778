import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../src/spec/load.js';

const valid = 'version: 1\npipeline: {name: p}\nsteps:\n  - {name: Stop, type: fail, errorMessage: done}\n';

describe('loadSpec', () => {
  it('returns the spec and a filled source map when there are no errors', () => {
    const r = loadSpec(valid, 'pipeline-specs/p.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.spec).toEqual({ version: 1, pipeline: { name: 'p' }, steps: [{ name: 'Stop', type: 'fail', errorMessage: 'done' }] });
    expect(r.sourceMap.spanOf('/steps/0/errorMessage').start).toEqual({ line: 4, column: 44 });
  });

  it('reports schema and rule problems together, sorted by position, with no spec', () => {
    const text = 'version: 1\npipeline: {name: p, nmae: q}\nsteps:\n  - {name: Stop, type: fail, dependsOn: [Nope]}\n  - {name: Stop, type: fail}\n';
    const r = loadSpec(text, 'p.yaml');
    expect(r.spec).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual([
      '2:21 schema-unknown-field', '4:42 unknown-step', '5:12 duplicate-step',
    ]);
  });

  it('keeps the file name exactly as given', () => {
    const r = loadSpec('steps: [', '../specs/p.yaml');
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(d.file).toBe('../specs/p.yaml');
  });

  it('stops after YAML errors instead of piling schema noise on a broken document', () => {
    const r = loadSpec('version: 1\nsteps: [\n', 'p.yaml');
    expect(r.diagnostics.every((d) => d.code.startsWith('yaml-'))).toBe(true);
  });

  it('still checks schema and rules when only keys or tags are wrong', () => {
    const r = loadSpec('version: 1\npipeline: {name: p}\n1: x\nsteps:\n  - {name: S, type: fail, errorMessage: !Ref x}\n', 'p.yaml');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['yaml-key', 'yaml-tag']);
  });

  it('honours smaller limits', () => {
    expect(loadSpec(valid, 'p.yaml', { limits: { maxBytes: 10 } }).diagnostics[0]?.code).toBe('yaml-too-large');
  });

  it('reports a non-mapping document as a schema problem', () => {
    expect(loadSpec('- a\n- b\n', 'p.yaml').diagnostics.map((d) => d.message)).toEqual(['expected a mapping, got a list']);
  });
});
