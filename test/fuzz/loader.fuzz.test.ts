/**
 * The loader never throws: arbitrary text, arbitrary YAML-shaped data and mutations of a valid
 * spec all come back as diagnostics with real positions and messages. Bounded to a few seconds.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/spec/diagnostics.js';
import { loadSpec } from '../../src/spec/load.js';

const validSpec = `version: 1
pipeline:
  name: fuzz
  roleArn: arn:aws:iam::123456789012:role/R
  bucket: smpk-fuzz
parameters:
  Threshold: {type: Float, default: 0.5}
  Mode: {type: String, default: a, enum: [a, b]}
steps:
  - name: Eval
    type: processing
    processor:
      image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/p:1
      instanceType: {get: Parameters.Mode}
    code: code/eval.py
    outputs:
      - {name: evaluation, source: /opt/ml/processing/evaluation}
    propertyFiles:
      - {name: Report, output: evaluation, path: e.json}
  - name: Check
    type: condition
    dependsOn: [Eval]
    conditions:
      - greaterThan: [{jsonGet: {propertyFile: Eval.Report, path: f1}}, {get: Parameters.Threshold}]
    ifSteps: [Stop]
  - name: Stop
    type: fail
    errorMessage: {join: {on: " ", values: [f1, {output: Eval.evaluation}, {get: Execution.PipelineExecutionId}]}}
`;

/** Asserts the loader's contract for one input. */
function checkLoads(text: string): void {
  let diagnostics: Diagnostic[] = [];
  expect(() => {
    diagnostics = loadSpec(text, 'fuzz/spec.yaml', { specPath: 'fuzz/spec.yaml' }).diagnostics;
  }).not.toThrow();
  for (const d of diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(d.line) && Number.isInteger(d.column)).toBe(true);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.file).toBe('fuzz/spec.yaml');
    expect(d.code).not.toBe('internal');
  }
}

const yamlish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('processing', 'condition', 'fail', 'lambda', 'Eval', 'Check', 'Stop', 'Parameters.Mode', 'Steps.Eval.ProcessingJobStatus', '../x', '/abs'),
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom('name', 'type', 'steps', 'get', 'output', 'join', 'jsonGet', 'values', 'on', 'dependsOn', 'ifSteps', 'elseSteps', 'conditions', 'equals', 'greaterThan', 'not', 'or', 'outputs', 'propertyFiles', 'parameters', 'default', 'enum', 'code', 'processor', '__proto__', 'constructor'),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
}));

describe('loader fuzz', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), checkLoads), { numRuns: 150, interruptAfterTimeLimit: 2500 });
  }, 30_000);

  it('never throws on YAML-shaped data around a spec skeleton', () => {
    fc.assert(
      fc.property(yamlish.value, yamlish.value, (steps, extra) => {
        checkLoads(stringify({ version: 1, pipeline: { name: 'p' }, steps, extra }));
        checkLoads(stringify(extra));
      }),
      { numRuns: 150, interruptAfterTimeLimit: 2500 },
    );
  }, 30_000);

  it('never throws on mutations of a valid spec', () => {
    expect(loadSpec(validSpec, 'fuzz/spec.yaml').diagnostics).toEqual([]);
    const mutation = fc.oneof(
      // Delete a slice.
      fc.tuple(fc.nat(validSpec.length), fc.nat(40)).map(([at, n]) => validSpec.slice(0, at) + validSpec.slice(at + n)),
      // Insert YAML punctuation and tricky tokens.
      fc.tuple(fc.nat(validSpec.length), fc.constantFrom('{', '}', '[', ']', ':', '- ', '&a ', '*a', '!!binary ', '!Ref ', '\n', '  ', '"', "'", '#', '? ', '---\n', '<<: ', '~', '\t'))
        .map(([at, s]) => validSpec.slice(0, at) + s + validSpec.slice(at)),
      // Swap two lines.
      fc.tuple(fc.nat(40), fc.nat(40)).map(([a, b]) => {
        const lines = validSpec.split('\n');
        const x = lines[a % lines.length] ?? '';
        lines[a % lines.length] = lines[b % lines.length] ?? '';
        lines[b % lines.length] = x;
        return lines.join('\n');
      }),
      // Replace a word with another spec word.
      fc.tuple(fc.constantFrom('Eval', 'Check', 'Stop', 'Mode', 'Threshold', 'evaluation', 'Report', 'processing', 'fail', 'Float', '0.5', 'a'), fc.constantFrom('Evl', 'Stop', 'Check', 'Integer', 'yes', '1.5', '', '..', 'Eval.x', '[]', '{}'))
        .map(([from, to]) => validSpec.replace(from, to)),
    );
    fc.assert(fc.property(mutation, checkLoads), { numRuns: 300, interruptAfterTimeLimit: 3000 });
  }, 30_000);
});
