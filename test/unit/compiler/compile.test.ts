import { describe, expect, it } from 'vitest';
import { compile, type CompileInput } from '../../../src/compiler/index.js';
import type { StepDefinition, StepEmitter } from '../../../src/compiler/types.js';
import { memorySourceFiles } from '../../../src/platform/source-files.js';
import { SourceMap } from '../../../src/spec/source-map.js';
import type { PipelineSpec } from '../../../src/spec/types.generated.js';

// A stand-in emitter so these tests pin the core (graph, expressions, assembly), not an emitter.
const fake: StepEmitter<Record<string, unknown>> = {
  type: 'processing',
  definitionType: 'Processing',
  propertiesShape: 'DescribeProcessingJobResponse',
  emit(step, ctx, pointer): StepDefinition[] {
    const args: Record<string, never> = {};
    const out: StepDefinition = { Name: String(step.name), Type: 'Processing', Arguments: args };
    if (step.value !== undefined) out.Arguments = { Value: ctx.expr(step.value, `${pointer}/value`) };
    if (typeof step.code === 'string') {
      const uri = ctx.asset(step.code, `${pointer}/code`, { kind: 'file', prefix: `${ctx.pipelineName}/code` });
      if (uri) out.Arguments = { ...out.Arguments, Code: uri };
    }
    return [out];
  },
};
const condition: StepEmitter<Record<string, unknown>> = {
  type: 'condition',
  definitionType: 'Condition',
  propertiesShape: undefined,
  emit: (step) => [{ Name: String(step.name), Type: 'Condition', Arguments: { Conditions: [] } }],
};
const emitters = new Map([
  ['processing', fake],
  ['condition', condition],
]);

function input(spec: unknown, files: Record<string, string> = {}): CompileInput {
  return {
    spec: spec as PipelineSpec,
    sourceMap: new SourceMap('pipelines/p.yaml'),
    specPath: 'pipelines/p.yaml',
    files: memorySourceFiles(files),
  };
}

const base = {
  version: 1,
  pipeline: { name: 'p', roleArn: 'arn:aws:iam::123456789012:role/R', bucket: 'bkt' },
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

describe('compile', () => {
  it('assembles the definition in the SDK key order with the default experiment config', () => {
    const spec = {
      ...base,
      parameters: {
        Mode: { type: 'String', default: 'a', enum: ['a', 'b'] },
        Count: { type: 'Integer' },
      },
      steps: [{ name: 'A', type: 'processing', value: { get: 'Parameters.Mode' } }],
    };
    const result = compile(input(spec), { region: 'us-east-1' }, { emitters });
    expect(result.diagnostics).toEqual([]);
    expect(Object.keys(result.definition ?? {})).toEqual(['Version', 'Metadata', 'Parameters', 'PipelineExperimentConfig', 'Steps']);
    expect(result.definition).toEqual({
      Version: '2020-12-01',
      Metadata: {},
      Parameters: [
        { Name: 'Mode', Type: 'String', DefaultValue: 'a', EnumValues: ['a', 'b'] },
        { Name: 'Count', Type: 'Integer' },
      ],
      PipelineExperimentConfig: {
        ExperimentName: { Get: 'Execution.PipelineName' },
        TrialName: { Get: 'Execution.PipelineExecutionId' },
      },
      Steps: [{ Name: 'A', Type: 'Processing', Arguments: { Value: { Get: 'Parameters.Mode' } } }],
    });
    expect(result.definitionJson).toBe(
      '{"Version": "2020-12-01", "Metadata": {}, "Parameters": [{"Name": "Mode", "Type": "String", "DefaultValue": "a", "EnumValues": ["a", "b"]}, {"Name": "Count", "Type": "Integer"}], "PipelineExperimentConfig": {"ExperimentName": {"Get": "Execution.PipelineName"}, "TrialName": {"Get": "Execution.PipelineExecutionId"}}, "Steps": [{"Name": "A", "Type": "Processing", "Arguments": {"Value": {"Get": "Parameters.Mode"}}}]}',
    );
  });

  it('never mutates its input and gives byte-identical output twice', () => {
    const spec = deepFreeze({
      ...base,
      parameters: { X: { type: 'Float', default: 0.5 } },
      steps: [
        { name: 'A', type: 'processing', code: 'code/a.py', retry: [{ exceptionTypes: ['Step.THROTTLING'], maxAttempts: 3 }] },
        { name: 'B', type: 'processing', dependsOn: ['A'], cache: { enabled: true, expireAfter: 'P1D' }, value: { join: { on: '/', values: ['s3:/', { output: 'A.out' }] } } },
      ],
    });
    const files = { 'pipelines/code/a.py': 'print(1)\n' };
    const one = compile(input(spec, files), { region: 'us-east-1' }, { emitters });
    const two = compile(input(spec, files), { region: 'us-east-1' }, { emitters });
    expect(one.definitionJson).toBe(two.definitionJson);
    // B references an output A does not declare: reported, at the expression's pointer.
    expect(one.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['unknown-output', '/steps/1/value/join/values/1/output']]);
  });

  it('orders common fields like the SDK and translates DependsOn', () => {
    const spec = {
      ...base,
      steps: [
        { name: 'A', type: 'processing', code: 'code/a.py', retry: [{ exceptionTypes: ['Step.THROTTLING'], maxAttempts: 3 }] },
        { name: 'B', type: 'processing', dependsOn: ['A'], displayName: 'Bee', description: 'd', cache: { enabled: true, expireAfter: 'P1D' } },
      ],
    };
    const result = compile(input(spec, { 'pipelines/code/a.py': 'print(1)\n' }), { region: 'us-east-1' }, { emitters });
    const steps = result.definition?.Steps as Record<string, unknown>[];
    expect(steps[0]?.RetryPolicies).toEqual([{ BackoffRate: 2, IntervalSeconds: 1, MaxAttempts: 3, ExceptionType: ['Step.THROTTLING'] }]);
    expect(Object.keys(steps[1] ?? {})).toEqual(['Name', 'Type', 'Arguments', 'DependsOn', 'DisplayName', 'Description', 'CacheConfig']);
    expect(steps[1]?.CacheConfig).toEqual({ Enabled: true, ExpireAfter: 'P1D' });
    expect(result.assets.map((a) => [a.source, a.kind, a.size])).toEqual([['pipelines/code/a.py', 'file', 9]]);
    expect(result.assets[0]?.key).toMatch(/^p\/code\/[0-9a-f]{64}\/a\.py$/);
  });

  it('nests branch steps into their condition step', () => {
    const spec = {
      ...base,
      steps: [
        { name: 'A', type: 'processing' },
        { name: 'Check', type: 'condition', ifSteps: ['Yes'], elseSteps: [] },
        { name: 'Yes', type: 'processing' },
      ],
    };
    const result = compile(input(spec), { region: 'us-east-1' }, { emitters });
    expect(result.definition?.Steps).toEqual([
      { Name: 'A', Type: 'Processing', Arguments: {} },
      {
        Name: 'Check',
        Type: 'Condition',
        Arguments: { Conditions: [], IfSteps: [{ Name: 'Yes', Type: 'Processing', Arguments: {} }], ElseSteps: [] },
      },
    ]);
  });

  it('reports missing role and bucket with hints naming the environment variables and flags', () => {
    const spec = { version: 1, pipeline: { name: 'p' }, steps: [{ name: 'A', type: 'processing' }] };
    const result = compile(input(spec), { region: 'us-east-1' }, { emitters });
    expect(result.definition).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.hint])).toEqual([
      ['missing-role', 'Set `pipeline.roleArn`, the SMPK_ROLE_ARN environment variable or --role.'],
      ['missing-bucket', 'Set `pipeline.bucket`, the SMPK_BUCKET environment variable or --bucket.'],
    ]);
    const fixed = compile(input(spec), { region: 'us-east-1', bucket: 'b-b', roleArn: 'arn:aws:iam::123456789012:role/R' }, { emitters });
    expect(fixed.pipeline).toEqual({ name: 'p', roleArn: 'arn:aws:iam::123456789012:role/R', bucket: 'b-b', tags: {} });
  });

  it('type-checks parameter default overrides', () => {
    const spec = { ...base, parameters: { N: { type: 'Integer', default: 1 }, F: { type: 'Boolean' } }, steps: [{ name: 'A', type: 'processing' }] };
    const bad = compile(input(spec), { region: 'us-east-1', parameterDefaults: { N: '1.5', Z: 'x' } }, { emitters });
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['parameter-override', 'unknown-parameter']);
    const good = compile(input(spec), { region: 'us-east-1', parameterDefaults: { N: '7', F: 'true' } }, { emitters });
    expect(good.definition?.Parameters).toEqual([
      { Name: 'N', Type: 'Integer', DefaultValue: 7 },
      { Name: 'F', Type: 'Boolean', DefaultValue: true },
    ]);
  });

  it('finds cycles through data references and dependsOn', () => {
    const spec = {
      ...base,
      steps: [
        { name: 'A', type: 'processing', value: { get: 'Steps.B.ProcessingJobArn' } },
        { name: 'B', type: 'processing', dependsOn: ['A'] },
      ],
    };
    const result = compile(input(spec), { region: 'us-east-1' }, { emitters });
    expect(result.diagnostics.map((d) => d.message)).toEqual(['Steps depend on each other in a cycle: A → B → A.']);
  });

  it('refuses code paths that escape the repository', () => {
    const spec = { ...base, steps: [{ name: 'A', type: 'processing', code: '../../etc/passwd' }] };
    const result = compile(input(spec), { region: 'us-east-1' }, { emitters });
    expect(result.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['asset-path', '/steps/0/code']]);
  });

  it('checks property paths against the referenced step type', () => {
    const spec = {
      ...base,
      steps: [
        { name: 'A', type: 'processing' },
        { name: 'B', type: 'processing', value: { get: 'Steps.A.ProcessingJobStatus' } },
        { name: 'C', type: 'processing', value: { get: 'Steps.A.ModelArtifacts.S3ModelArtifacts' } },
      ],
    };
    const result = compile(input(spec), { region: 'us-east-1' }, { emitters });
    expect(result.diagnostics.map((d) => [d.code, d.pointer])).toEqual([['unknown-property', '/steps/2/value/get']]);
  });

  it('converts every expression kind to the SDK shapes', () => {
    const spec = {
      ...base,
      pipeline: { ...base.pipeline, bucketPrefix: 'team' },
      parameters: { Uri: { type: 'String' } },
      steps: [
        {
          name: 'A',
          type: 'processing',
          outputs: [{ name: 'out' }],
          propertyFiles: [{ name: 'Report', output: 'out', path: 'r.json' }],
        },
        { name: 'T', type: 'tuning' },
        {
          name: 'B',
          type: 'processing',
          value: [
            { output: 'A.out' },
            { jsonGet: { propertyFile: 'A.Report', path: 'metrics.f1.value' } },
            { jsonGet: { s3Uri: { join: { on: '/', values: [{ get: 'Parameters.Uri' }, 'r.json'] } }, path: 'x' } },
            { topModel: { step: 'T', rank: 2 } },
            { get: 'Execution.PipelineExecutionId' },
          ],
        },
      ],
    };
    const tuning: StepEmitter<Record<string, unknown>> = { ...fake, type: 'tuning', definitionType: 'Tuning', propertiesShape: 'DescribeHyperParameterTuningJobResponse' };
    const result = compile(input(spec), { region: 'us-east-1' }, { emitters: new Map([...emitters, ['tuning', tuning]]) });
    expect(result.diagnostics).toEqual([]);
    const steps = result.definition?.Steps as { Arguments: { Value?: unknown } }[];
    expect(steps[2]?.Arguments.Value).toEqual([
      { Get: "Steps.A.ProcessingOutputConfig.Outputs['out'].S3Output.S3Uri" },
      { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.A.PropertyFiles.Report' }, Path: 'metrics.f1.value' } },
      { 'Std:JsonGet': { S3Uri: { 'Std:Join': { On: '/', Values: [{ Get: 'Parameters.Uri' }, 'r.json'] } }, Path: 'x' } },
      { 'Std:Join': { On: '/', Values: ['s3:/', 'bkt', 'team', { Get: 'Steps.T.TrainingJobSummaries[2].TrainingJobName' }, 'output/model.tar.gz'] } },
      { Get: 'Execution.PipelineExecutionId' },
    ]);
  });

  it('flags definitions over the inline limit and over-long fields by JSON path', () => {
    const long = 'x'.repeat(1_100_000);
    const spec = { ...base, steps: [{ name: 'A', type: 'processing', value: long }] };
    const big = compile(input(spec), { region: 'us-east-1' }, { emitters });
    expect(big.requiresS3Upload).toBe(true);
    const argEmitter: StepEmitter<Record<string, unknown>> = {
      ...fake,
      emit: (step) => [{ Name: String(step.name), Type: 'Processing', Arguments: { AppSpecification: { ImageUri: 'i', ContainerArguments: ['y'.repeat(300)] }, Environment: { K: { Get: 'Parameters.P' } } } }],
    };
    const tooLong = compile(input({ ...base, steps: [{ name: 'A', type: 'processing' }] }), { region: 'us-east-1' }, { emitters: new Map([['processing', argEmitter]]) });
    expect(tooLong.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['limit', 'Steps[0].Arguments.AppSpecification.ContainerArguments[0] is 300 characters long; SageMaker allows at most 256.'],
    ]);
  });

  it('prints the floats the SDK holds as floats like Python does', () => {
    const spec = {
      ...base,
      parameters: { Threshold: { type: 'Float', default: 1 }, Count: { type: 'Integer', default: 1 } },
      steps: [{ name: 'A', type: 'processing', retry: [{ exceptionTypes: ['Step.SERVICE_FAULT'], expireAfterMinutes: 5 }] }],
    };
    const text = compile(input(spec), { region: 'us-east-1' }, { emitters }).definitionJson ?? '';
    expect(text).toContain('{"Name": "Threshold", "Type": "Float", "DefaultValue": 1.0}');
    expect(text).toContain('{"Name": "Count", "Type": "Integer", "DefaultValue": 1}');
    expect(text).toContain('"RetryPolicies": [{"BackoffRate": 2.0, "IntervalSeconds": 1, "ExpireAfterMin": 5, "ExceptionType": ["Step.SERVICE_FAULT"]}]');
  });

  it('writes the experiment config the spec asks for, or none', () => {
    const withConfig = {
      ...base,
      pipeline: { ...base.pipeline, experiment: { experimentName: 'exp', trialName: { get: 'Execution.PipelineExecutionId' } } },
      steps: [{ name: 'A', type: 'processing' }],
    };
    expect(compile(input(withConfig), { region: 'us-east-1' }, { emitters }).definition?.PipelineExperimentConfig).toEqual({
      ExperimentName: 'exp',
      TrialName: { Get: 'Execution.PipelineExecutionId' },
    });
    const without = { ...base, pipeline: { ...base.pipeline, experiment: false }, steps: [{ name: 'A', type: 'processing' }] };
    const result = compile(input(without), { region: 'us-east-1' }, { emitters });
    expect(result.definition?.PipelineExperimentConfig).toBeNull();
    expect(result.definitionJson).toContain('"PipelineExperimentConfig": null');
  });
});
