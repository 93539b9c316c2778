import { describe, expect, it } from 'vitest';
import type { SourceFiles } from '../../../src/compiler/types.js';
import { loadSpec } from '../../../src/spec/load.js';
import { rules } from '../../../src/spec/rules.js';

const head = 'version: 1\npipeline: {name: p}\n';
const proc = (name: string, extra = ''): string =>
  `  - name: ${name}\n    type: processing\n    processor: {image: x, instanceType: ml.m5.xlarge}\n${extra}`;

/** `code@line:col` of every diagnostic a spec gets. */
function codes(text: string, options: Parameters<typeof loadSpec>[2] = {}): string[] {
  return loadSpec(text, 'specs/p.yaml', options).diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);
}

describe('the rules table', () => {
  it('is keyed by sentences, each rule with its own stable code', () => {
    const entries = Object.entries(rules);
    for (const [sentence] of entries) expect(sentence).toMatch(/^[A-Z][^.]*[a-z]$/);
    const all = entries.map(([, r]) => r.code);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('semantic rules', () => {
  it('accepts a spec with correct references', () => {
    const text = `${head}parameters:\n  Threshold: {type: Float, default: 0.5}\nsteps:\n${proc('Eval', '    outputs:\n      - {name: evaluation, source: /opt/ml/processing/evaluation}\n    propertyFiles:\n      - {name: Report, output: evaluation, path: e.json}\n')}  - name: Check\n    type: condition\n    conditions:\n      - greaterThanOrEqualTo: [{jsonGet: {propertyFile: Eval.Report, path: f1}}, {get: Parameters.Threshold}]\n    ifSteps: [Use]\n    elseSteps: [Stop]\n${proc('Use', "    arguments: [{output: Eval.evaluation}, {get: Execution.PipelineExecutionId}, {get: \"Steps.Eval.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri\"}]\n")}  - {name: Stop, type: fail, errorMessage: {join: {on: " ", values: [low, {get: Steps.Eval.ProcessingJobStatus}]}}}\n`;
    const r = loadSpec(text, 'specs/p.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.spec).toBeDefined();
  });

  it('reports unknown steps in dependsOn, branches and references', () => {
    expect(codes(`${head}steps:\n${proc('A', '    dependsOn: [B]\n    arguments: [{get: Steps.C.ProcessingJobName}]\n')}  - {name: K, type: condition, conditions: [{equals: [1, 1]}], ifSteps: [D]}\n`))
      .toEqual(['unknown-step@7:17', 'unknown-step@8:17', 'unknown-step@9:74']);
  });

  it('finds a cycle through dependsOn and data references and names its path', () => {
    const r = loadSpec(`${head}steps:\n${proc('A', '    dependsOn: [B]\n')}${proc('B', '    arguments: [{get: Steps.A.ProcessingJobName}]\n')}`, 'p.yaml');
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['cycle', 'steps depend on each other in a cycle: A → B → A']]);
  });

  it('does not call a long chain a cycle', () => {
    let steps = proc('S0');
    for (let i = 1; i < 200; i++) steps += proc(`S${i}`, `    dependsOn: [S${i - 1}]\n`);
    expect(codes(`${head}steps:\n${steps}`)).toEqual([]);
  }, 30_000);

  it('reports a condition reading its own branch, once (not also as a cycle)', () => {
    const text = `${head}steps:\n${proc('A')}  - name: K\n    type: condition\n    conditions: [{equals: [{get: Steps.A.ProcessingJobStatus}, Completed]}]\n    ifSteps: [A]\n`;
    expect(codes(text)).toEqual(['condition-order@9:28']);
  });

  it('reports reading a step of the other branch, also through nested conditions', () => {
    const text = `${head}steps:\n  - {name: K, type: condition, conditions: [{equals: [1, 1]}], ifSteps: [Inner], elseSteps: [B]}\n  - {name: Inner, type: condition, conditions: [{equals: [1, 1]}], ifSteps: [A]}\n${proc('A')}  - {name: B, type: fail, dependsOn: [A]}\n`;
    expect(codes(text)).toEqual(['other-branch@9:39']);
  });

  it('reports conditions that contain each other instead of nesting forever', () => {
    const text = `${head}steps:\n  - {name: K1, type: condition, conditions: [{equals: [1, 1]}], ifSteps: [K2]}\n  - {name: K2, type: condition, conditions: [{equals: [1, 1]}], elseSteps: [K1]}\n`;
    const r = loadSpec(text, 'p.yaml');
    expect(r.diagnostics.map((d) => `${d.code}@${d.line}:${d.column} ${d.message}`)).toEqual([
      'branch-cycle@5:77 conditions contain each other through their branches: K1 → K2 → K1',
    ]);
  });

  it('types condition operands from parameters and property shapes, and leaves JsonGet alone', () => {
    const text = `${head}parameters:\n  S: {type: String}\n  B: {type: Boolean}\nsteps:\n${proc('A')}  - name: K\n    type: condition\n    conditions:\n      - lessThan: [{get: Parameters.S}, {jsonGet: {s3Uri: s3://b/k, path: x}}]\n      - equals: [{get: Parameters.B}, true]\n      - equals: [{get: Steps.A.ExitMessage}, 1]\n      - in: {value: {get: Parameters.S}, in: [a, 2, {get: Parameters.B}, {get: Steps.A.ExitMessage}]}\n`;
    expect(codes(text)).toEqual(['condition-operand-type@13:20', 'condition-operand-type@15:46', 'condition-operand-type@16:50', 'condition-operand-type@16:53']);
  });

  it('checks code paths against the repository only when files are given', () => {
    const text = `${head}steps:\n  - name: A\n    type: processing\n    processor: {image: x, instanceType: ml.m5.xlarge}\n    code: code/run.py\n`;
    const files = (present: string[]): SourceFiles => ({
      readFile: (p) => (present.includes(p) ? new Uint8Array() : undefined),
      listDirectory: () => undefined,
    });
    expect(codes(text)).toEqual([]);
    expect(codes(text, { files: files([]), specPath: 'specs/p.yaml' })).toEqual(['missing-file@7:11']);
    expect(codes(text, { files: files(['specs/code/run.py']), specPath: 'specs/p.yaml' })).toEqual([]);
    // Without specPath, the file name as given is the base.
    expect(codes(text, { files: files(['specs/code/run.py']) })).toEqual([]);
  });

  it('never reports an absolute path in a message', () => {
    const text = `${head}steps:\n  - name: A\n    type: processing\n    processor: {image: x, instanceType: ml.m5.xlarge}\n    code: ../../x.py\n`;
    const [d] = loadSpec(text, 'specs/p.yaml', { specPath: 'specs/p.yaml' }).diagnostics;
    expect(d).toMatchObject({ code: 'path-escapes', file: 'specs/p.yaml' });
    expect(d?.message).not.toMatch(new RegExp(process.cwd()));
  });
});
