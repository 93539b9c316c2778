import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeModelPackageCommand,
  DescribePipelineExecutionCommand,
  DescribeProcessingJobCommand,
  ListModelPackagesCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/compiler/types.js';
import { definitionModelPackageGroup, GateError, runGate } from '../../../src/ops/gate.js';
import { evaluateRules, formatNumber, getAtPath, parseJsonPath } from '../../../src/ops/metrics.js';
import type { Gate, MetricRule } from '../../../src/spec/types.generated.js';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  sm.reset();
  s3.reset();
});

const EXEC = 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo/execution/e1';
const JOB = 'arn:aws:sagemaker:us-east-1:111122223333:processing-job/pipelines-e1-evaluate-abc';
const PKG_OLD = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/demo-group/3';
const PKG_NEW = 'arn:aws:sagemaker:us-east-1:111122223333:model-package/demo-group/4';

const DEFINITION: JsonObject = {
  Version: '2020-12-01',
  Parameters: [{ Name: 'Group', Type: 'String', DefaultValue: 'demo-group' }],
  Steps: [
    { Name: 'Train', Type: 'Training', Arguments: {} },
    {
      Name: 'Evaluate',
      Type: 'Processing',
      Arguments: { ProcessingInputs: [{ S3Input: { S3Uri: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } } }] },
      PropertyFiles: [{ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' }],
    },
    {
      Name: 'Check',
      Type: 'Condition',
      Arguments: {
        Conditions: [{ Type: 'LessThanOrEqualTo', LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'm.mse' } }, RightValue: 6 }],
        IfSteps: [{ Name: 'Register-RegisterModel', Type: 'RegisterModel', Arguments: { ModelPackageGroupName: { Get: 'Parameters.Group' } } }],
        ElseSteps: [{ Name: 'Fail', Type: 'Fail', Arguments: { ErrorMessage: 'too bad' } }],
      },
    },
  ],
};

const body = (text: string) => ({ Body: { transformToString: async () => text } as never, ContentLength: text.length });
const noSuchKey = () => Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });

function mockExecution(options: { evaluateRan?: boolean; registered?: string } = {}) {
  sm.on(DescribePipelineExecutionCommand).resolves({ PipelineExecutionStatus: 'Succeeded' });
  sm.on(ListPipelineExecutionStepsCommand).resolves({
    PipelineExecutionSteps: [
      ...(options.registered ? [{ StepName: 'Register-RegisterModel', StepStatus: 'Succeeded' as const, Metadata: { RegisterModel: { Arn: options.registered } } }] : []),
      ...(options.evaluateRan === false ? [] : [{ StepName: 'Evaluate', StepStatus: 'Succeeded' as const, Metadata: { ProcessingJob: { Arn: JOB } } }]),
      { StepName: 'Train', StepStatus: 'Succeeded' as const },
    ],
  });
  sm.on(DescribeProcessingJobCommand, { ProcessingJobName: 'pipelines-e1-evaluate-abc' }).resolves({
    ProcessingOutputConfig: { Outputs: [{ OutputName: 'evaluation', S3Output: { S3Uri: 's3://bucket/demo/e1/Evaluate/output/evaluation/', LocalPath: '/x', S3UploadMode: 'EndOfJob' } }] },
  } as never);
}

function mockBaseline(report: unknown | undefined, packages = [PKG_OLD]) {
  sm.on(ListModelPackagesCommand).resolves({
    ModelPackageSummaryList: packages.map((arn) => ({ ModelPackageArn: arn, ModelPackageStatus: 'Completed', CreationTime: new Date(0) })) as never,
  });
  sm.on(DescribeModelPackageCommand).callsFake((input: { ModelPackageName: string }) => ({
    ModelPackageArn: input.ModelPackageName,
    ModelPackageVersion: Number(input.ModelPackageName.split('/').pop()),
    ...(report !== undefined ? { ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://bucket/baseline/evaluation.json' } } } } : {}),
  }));
  if (report !== undefined) s3.on(GetObjectCommand, { Bucket: 'bucket', Key: 'baseline/evaluation.json' }).resolves(body(JSON.stringify(report)));
}

function mockCandidate(report: unknown) {
  s3.on(GetObjectCommand, { Bucket: 'bucket', Key: 'demo/e1/Evaluate/output/evaluation/evaluation.json' }).resolves(body(JSON.stringify(report)));
}

const gate = (metrics: MetricRule[], extra: Partial<Gate> = {}): Gate => ({ report: { propertyFile: 'Evaluate.EvaluationReport' }, metrics: metrics as Gate['metrics'], ...extra });
const deps = () => ({ sagemaker: new SageMakerClient({ region: 'us-east-1' }), s3: new S3Client({ region: 'us-east-1' }) });

describe('JsonPath subset', () => {
  it('parses dotted names, [n] and quoted keys', () => {
    expect(parseJsonPath('metrics.f1.value')).toEqual(['metrics', 'f1', 'value']);
    expect(parseJsonPath("$.classes[0]['macro avg'].f1")).toEqual(['classes', 0, 'macro avg', 'f1']);
    expect(parseJsonPath('$["a.b"]')).toEqual(['a.b']);
    expect(() => parseJsonPath('a..b')).toThrow(/misplaced/);
    expect(() => parseJsonPath('a[x]')).toThrow(/expected/);
    expect(() => parseJsonPath('')).toThrow(/empty/);
  });

  it('never follows inherited keys', () => {
    expect(getAtPath({}, ['constructor'])).toEqual({ found: false });
    expect(getAtPath({ a: [1, 2] }, ['a', 1])).toEqual({ found: true, value: 2 });
    expect(getAtPath({ a: [1, 2] }, ['a', 2])).toEqual({ found: false });
  });
});

describe('metric rules', () => {
  const hi = (extra: Partial<MetricRule> = {}): MetricRule => ({ path: 'm.f1', label: 'F1', direction: 'higher-is-better', ...extra });
  const lo = (extra: Partial<MetricRule> = {}): MetricRule => ({ path: 'm.mse', label: 'MSE', direction: 'lower-is-better', ...extra });

  it('no baseline: thresholds only; passing thresholds give no-baseline, a failing one fails', () => {
    const ok = evaluateRules([hi({ threshold: 0.8, maxRegression: { relative: 0.02 } })], { m: { f1: 0.85 } }, undefined);
    expect(ok.verdict).toBe('no-baseline');
    expect(ok.metrics[0]?.reasons).toEqual(['no baseline; regression not checked']);
    const bad = evaluateRules([hi({ threshold: 0.9 })], { m: { f1: 0.85 } }, undefined);
    expect(bad.verdict).toBe('fail');
    expect(bad.metrics[0]?.reasons[0]).toBe('0.85 is below the minimum 0.9');
  });

  it('absolute regression, higher-is-better: the limit is inclusive', () => {
    const rule = hi({ maxRegression: { absolute: 0.02 } });
    expect(evaluateRules([rule], { m: { f1: 0.88 } }, { m: { f1: 0.9 } }).verdict).toBe('pass');
    const r = evaluateRules([rule], { m: { f1: 0.87 } }, { m: { f1: 0.9 } });
    expect(r.verdict).toBe('fail');
    expect(r.metrics[0]).toMatchObject({ candidate: 0.87, baseline: 0.9, regressionLimit: 0.88, status: 'fail' });
    expect(formatNumber(r.metrics[0]?.delta)).toBe('-0.03');
  });

  it('relative regression, higher-is-better (2 % of 0.9 allows 0.882)', () => {
    const rule = hi({ maxRegression: { relative: 0.02 } });
    expect(evaluateRules([rule], { m: { f1: 0.882 } }, { m: { f1: 0.9 } }).verdict).toBe('pass');
    expect(evaluateRules([rule], { m: { f1: 0.881 } }, { m: { f1: 0.9 } }).verdict).toBe('fail');
  });

  it('absolute and relative regression, lower-is-better', () => {
    expect(evaluateRules([lo({ maxRegression: { absolute: 0.5 } })], { m: { mse: 4.5 } }, { m: { mse: 4 } }).verdict).toBe('pass');
    expect(evaluateRules([lo({ maxRegression: { absolute: 0.5 } })], { m: { mse: 4.6 } }, { m: { mse: 4 } }).verdict).toBe('fail');
    const rel = evaluateRules([lo({ maxRegression: { relative: 0.1 } })], { m: { mse: 4.5 } }, { m: { mse: 4 } });
    expect(rel.verdict).toBe('fail');
    expect(rel.metrics[0]?.regressionLimit).toBeCloseTo(4.4);
    expect(rel.metrics[0]?.reasons[0]).toMatch(/regressed by 0\.5 against the baseline 4; at most 10% of 4 allowed \(maximum 4\.4\)/);
    // Improvements never fail, however large.
    expect(evaluateRules([lo({ maxRegression: { relative: 0 } })], { m: { mse: 1 } }, { m: { mse: 4 } }).verdict).toBe('pass');
  });

  it('a missing required metric fails; a missing optional one is reported only', () => {
    const r = evaluateRules([hi(), lo({ required: false })], { m: {} }, { m: { f1: 1 } });
    expect(r.verdict).toBe('fail');
    expect(r.metrics.map((m) => m.status)).toEqual(['fail', 'missing']);
    expect(r.metrics[0]?.reasons[0]).toBe('required metric not found in the report at m.f1');
    expect(r.metrics[1]?.reasons[0]).toBe('optional metric not found in the report at m.mse');
    expect(evaluateRules([lo({ required: false })], { m: {} }, { m: {} }).verdict).toBe('pass');
  });

  it('non-numeric values fail with the value quoted; a non-numeric baseline skips the regression check', () => {
    const r = evaluateRules([hi({ required: false })], { m: { f1: 'NaN' } }, undefined);
    expect(r.verdict).toBe('fail');
    expect(r.metrics[0]).toMatchObject({ status: 'fail', candidateRaw: '"NaN"' });
    expect(r.metrics[0]?.reasons[0]).toBe('value "NaN" is not a number');
    expect(evaluateRules([hi()], { m: { f1: null } }, undefined).metrics[0]?.reasons[0]).toBe('value null is not a number');
    const b = evaluateRules([hi({ maxRegression: { absolute: 0 } })], { m: { f1: 0.5 } }, { m: { f1: 'x' } });
    expect(b.verdict).toBe('pass');
    expect(b.metrics[0]?.reasons).toEqual(['the baseline value "x" is not a number; regression not checked']);
  });
});

describe('runGate', () => {
  const rules: MetricRule[] = [{ path: 'm.f1', label: 'F1', direction: 'higher-is-better', threshold: 0.7, maxRegression: { relative: 0.02 } }];

  it('reads the property file from the processing job output and compares with the latest Approved package', async () => {
    mockExecution();
    mockCandidate({ m: { f1: 0.8 } });
    mockBaseline({ m: { f1: 0.9 } });
    const result = await runGate({ gate: gate(rules), definition: DEFINITION, executionArn: EXEC }, deps());
    expect(result.reportUri).toBe('s3://bucket/demo/e1/Evaluate/output/evaluation/evaluation.json');
    expect(result.modelPackageGroup).toBe('demo-group');
    expect(result.baseline).toMatchObject({ modelPackageArn: PKG_OLD, version: 3, reportUri: 's3://bucket/baseline/evaluation.json' });
    expect(result.verdict).toBe('fail');
    expect(result.pipelineName).toBe('demo');
    expect(result.steps.map((s) => s.name)).toEqual(['Train', 'Evaluate']);
    expect(sm.commandCalls(ListModelPackagesCommand)[0]?.args[0].input).toMatchObject({
      ModelPackageGroupName: 'demo-group',
      ModelApprovalStatus: 'Approved',
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
    });
  });

  it('skips the package this execution registered when it is already Approved', async () => {
    mockExecution({ registered: PKG_NEW });
    mockCandidate({ m: { f1: 0.9 } });
    mockBaseline({ m: { f1: 0.9 } }, [PKG_NEW, PKG_OLD]);
    const result = await runGate({ gate: gate(rules), definition: DEFINITION, executionArn: EXEC }, deps());
    expect(result.baseline?.modelPackageArn).toBe(PKG_OLD);
    expect(result.candidatePackageArn).toBe(PKG_NEW);
    expect(result.verdict).toBe('pass');
  });

  it('no Approved package: verdict no-baseline with the reason', async () => {
    mockExecution();
    mockCandidate({ m: { f1: 0.8 } });
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    const result = await runGate({ gate: gate(rules), definition: DEFINITION, executionArn: EXEC }, deps());
    expect(result.verdict).toBe('no-baseline');
    expect(result.baselineNote).toBe('no Approved model package in group demo-group yet');
  });

  it('an Approved package without a statistics report is no baseline, said so', async () => {
    mockExecution();
    mockCandidate({ m: { f1: 0.8 } });
    mockBaseline(undefined);
    const result = await runGate({ gate: gate(rules), definition: DEFINITION, executionArn: EXEC }, deps());
    expect(result.verdict).toBe('no-baseline');
    expect(result.baselineNote).toMatch(/no ModelMetrics\.ModelQuality\.Statistics report/);
  });

  it('report not found: a GateError naming the URI, not a crash', async () => {
    mockExecution();
    s3.on(GetObjectCommand).rejects(noSuchKey());
    const error = await runGate({ gate: gate(rules), definition: DEFINITION, executionArn: EXEC }, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GateError);
    expect(error).toMatchObject({ kind: 'report-not-found', message: 'no evaluation report at s3://bucket/demo/e1/Evaluate/output/evaluation/evaluation.json' });
  });

  it('the evaluation step did not run: report-not-found naming the step', async () => {
    mockExecution({ evaluateRan: false });
    const error = await runGate({ gate: gate(rules), definition: DEFINITION, executionArn: EXEC }, deps()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'report-not-found', message: 'no evaluation report: step Evaluate did not run in this execution (execution Succeeded)' });
  });

  it('invalid JSON in the report is an invalid-report GateError', async () => {
    mockExecution();
    s3.on(GetObjectCommand).resolves(body('{not json'));
    await expect(runGate({ gate: gate(rules), definition: DEFINITION, executionArn: EXEC }, deps())).rejects.toMatchObject({ kind: 'invalid-report' });
  });

  it('a literal s3Uri report and an explicit group; bad paths are rejected before any AWS call', async () => {
    mockExecution();
    s3.on(GetObjectCommand, { Bucket: 'b', Key: 'r.json' }).resolves(body('{"m":{"f1":0.75}}'));
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] });
    const result = await runGate({ gate: gate(rules, { report: { s3Uri: 's3://b/r.json' }, modelPackageGroup: 'other' }), definition: DEFINITION, executionArn: EXEC }, deps());
    expect(result).toMatchObject({ verdict: 'no-baseline', reportUri: 's3://b/r.json', modelPackageGroup: 'other' });
    sm.reset();
    await expect(runGate({ gate: gate([{ path: 'a..b', direction: 'higher-is-better' }]), definition: DEFINITION, executionArn: EXEC }, deps())).rejects.toMatchObject({
      kind: 'invalid-gate',
    });
    expect(sm.calls()).toHaveLength(0);
  });

  it('the model package group comes from the register-model step, or is ambiguous', () => {
    expect(definitionModelPackageGroup(DEFINITION)).toBe('demo-group');
    const two: JsonObject = { Steps: [{ Name: 'A', Type: 'RegisterModel', Arguments: { ModelPackageGroupName: 'x' } }, { Name: 'B', Type: 'RegisterModel', Arguments: { ModelPackageGroupName: 'y' } }] };
    expect(() => definitionModelPackageGroup(two)).toThrow(/several model package groups \(x, y\)/);
    expect(definitionModelPackageGroup({ Steps: [] })).toBeUndefined();
  });
});
