import { describe, expect, it } from 'vitest';
import { planDefinition } from '../../../../src/local/engine/definition.js';
import { resolveValue, type ExpressionScope } from '../../../../src/local/engine/expressions.js';
import { resolveParameters } from '../../../../src/local/engine/parameters.js';
import { parsePath } from '../../../../src/local/engine/paths.js';
import { EngineValidationError, type JsonValue } from '../../../../src/local/engine/ports.js';
import { parseDuration } from '../../../../src/local/engine/durations.js';
import { retryDelay } from '../../../../src/local/engine/retry.js';

function scope(jobName?: string): ExpressionScope {
  return {
    parameters: new Map<string, JsonValue>([['Bucket', 'b']]),
    execution: {
      pipelineName: 'demo',
      pipelineArn: 'arn:aws:sagemaker:us-east-1:1:pipeline/demo',
      executionId: 'abc123',
      executionArn: 'arn:aws:sagemaker:us-east-1:1:pipeline/demo/execution/abc123',
      startTime: new Date('2026-01-02T03:04:05.000Z'),
      now: () => new Date('2026-01-02T03:05:00.000Z'),
    },
    ...(jobName ? { jobName } : {}),
    stepProperties: (name) =>
      name === 'Train'
        ? { ModelArtifacts: { S3ModelArtifacts: 's3://b/m/model.tar.gz' }, FinalMetricDataList: [{ MetricName: 'loss', Value: 0.1 }], HyperParameters: { 'a.b': '1' } }
        : undefined,
    propertyFileUri: () => undefined,
    readObject: async () => undefined,
  };
}

describe('expressions', () => {
  it('resolves execution variables, parameters, step properties and joins, deep inside arguments', async () => {
    const args = {
      Out: { 'Std:Join': { On: '/', Values: ['s3:/', { Get: 'Parameters.Bucket' }, { Get: 'Execution.PipelineExecutionId' }] } },
      List: [{ Get: 'Execution.PipelineName' }, { Get: 'Execution.StartDateTime' }, { Get: 'Execution.CurrentDateTime' }, { Get: 'Execution.PipelineExecutionArn' }],
      Model: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' },
      Loss: { Get: "Steps.Train.FinalMetricDataList['loss'].Value" },
      Hp: { Get: "Steps.Train.HyperParameters['a.b']" },
      Job: { Get: 'Execution.ProcessingJobName' },
      Plain: { Get: 1, Other: 2 },
    };
    expect(await resolveValue(args, scope('pipelines-abc123-x-1'))).toEqual({
      Out: 's3://b/abc123',
      List: ['demo', '2026-01-02T03:04:05.000Z', '2026-01-02T03:05:00.000Z', 'arn:aws:sagemaker:us-east-1:1:pipeline/demo/execution/abc123'],
      Model: 's3://b/m/model.tar.gz',
      Loss: 0.1,
      Hp: '1',
      Job: 'pipelines-abc123-x-1',
      Plain: { Get: 1, Other: 2 },
    });
  });

  it('fails readably on references to steps that have not succeeded', async () => {
    await expect(resolveValue({ Get: 'Steps.Eval.ProcessingJobName' }, scope())).rejects.toThrow(
      `{"Get": "Steps.Eval.ProcessingJobName"} is undefined: step 'Eval' has not succeeded in this execution.`,
    );
  });

  it('parses property paths and the JsonPath subset', () => {
    expect(parsePath("ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri")).toEqual(['ProcessingOutputConfig', 'Outputs', 'train', 'S3Output', 'S3Uri']);
    expect(parsePath('$.a[0]["b c"].d')).toEqual(['a', 0, 'b c', 'd']);
    expect(() => parsePath('a[*]')).toThrow();
  });
});

describe('parameters', () => {
  const declared = [
    { Name: 'S', Type: 'String', DefaultValue: 'x' },
    { Name: 'I', Type: 'Integer', DefaultValue: 1 },
    { Name: 'F', Type: 'Float', DefaultValue: 0.5 },
    { Name: 'B', Type: 'Boolean', DefaultValue: false },
  ];
  it('types overrides by the declared type', () => {
    const values = resolveParameters(declared, [
      { Name: 'I', Value: '7' },
      { Name: 'F', Value: '1e-3' },
      { Name: 'B', Value: 'True' },
    ]);
    expect(Object.fromEntries(values)).toEqual({ S: 'x', I: 7, F: 0.001, B: true });
  });
  it('rejects unknown names, wrong types and missing values', () => {
    expect(() => resolveParameters(declared, [{ Name: 'Nope', Value: '1' }])).toThrow(EngineValidationError);
    expect(() => resolveParameters(declared, [{ Name: 'I', Value: '1.5' }])).toThrow("Parameter 'I' must be an Integer, got '1.5'.");
    expect(() => resolveParameters([{ Name: 'R', Type: 'String' }], [])).toThrow("Parameter 'R' has no default value and no value was given.");
  });
});

describe('definition planning', () => {
  it('rejects cycles and unknown dependencies', () => {
    const step = (Name: string, deps: string[]) => ({ Name, Type: 'Fail', Arguments: {}, DependsOn: deps });
    expect(() => planDefinition({ Steps: [step('A', ['B']), step('B', ['A'])] })).toThrow('Steps depend on each other in a cycle');
    expect(() => planDefinition({ Steps: [step('A', ['Z'])] })).toThrow("Step 'A' depends on 'Z', which is not a step of this pipeline.");
    expect(() => planDefinition('{nope')).toThrow(EngineValidationError);
  });
  it('makes branch steps wait for their condition, and conditions for the steps they read', () => {
    const plan = planDefinition({
      Steps: [
        { Name: 'Eval', Type: 'Processing', Arguments: {} },
        {
          Name: 'Check',
          Type: 'Condition',
          Arguments: {
            Conditions: [{ Type: 'Equals', LeftValue: { Get: 'Steps.Eval.ProcessingJobStatus' }, RightValue: 'Completed' }],
            IfSteps: [{ Name: 'Yes', Type: 'Fail', Arguments: { ErrorMessage: { Get: 'Steps.Eval.ProcessingJobName' } } }],
            ElseSteps: [],
          },
        },
      ],
    });
    expect([...plan.byName.get('Check')!.waitsFor]).toEqual(['Eval']);
    expect([...plan.byName.get('Yes')!.waitsFor].sort()).toEqual(['Check', 'Eval']);
    expect(plan.byName.get('Yes')!.branch).toEqual({ condition: 'Check', outcome: true });
  });
});

describe('durations and retry policies', () => {
  it('parses ExpireAfter durations', () => {
    expect(parseDuration('P30D')).toBe(30 * 86_400_000);
    expect(parseDuration('PT1H30M')).toBe(5_400_000);
    expect(parseDuration('T12H')).toBe(12 * 3_600_000);
    expect(() => parseDuration('P')).toThrow();
  });
  it('backs off per policy and stops at MaxAttempts retries or ExpireAfterMin', () => {
    const policies = [{ ExceptionType: ['Step.SERVICE_FAULT'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }];
    const t0 = new Date(0);
    expect(retryDelay(policies, 'Step.SERVICE_FAULT', 1, t0, t0)).toBe(2000);
    expect(retryDelay(policies, 'Step.SERVICE_FAULT', 2, t0, t0)).toBe(6000);
    expect(retryDelay(policies, 'Step.SERVICE_FAULT', 3, t0, t0)).toBeUndefined();
    expect(retryDelay(policies, 'Step.THROTTLING', 1, t0, t0)).toBeUndefined();
    expect(retryDelay(policies, undefined, 1, t0, t0)).toBeUndefined();
    const expiring = [{ ExceptionType: ['Step.THROTTLING'], IntervalSeconds: 1, BackoffRate: 2, ExpireAfterMin: 1 }];
    expect(retryDelay(expiring, 'Step.THROTTLING', 5, t0, new Date(30_000))).toBe(16_000);
    expect(retryDelay(expiring, 'Step.THROTTLING', 5, t0, new Date(60_000))).toBeUndefined();
  });
});
