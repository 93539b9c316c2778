import { describe, expect, it } from 'vitest';
import { emitQualityCheck, pythonNumberText } from '../../../../src/compiler/steps/quality-check.js';
import type { QualityCheckStep } from '../../../../src/spec/types.generated.js';
import { fakeContext, json } from './check-fake-context.js';

const MONITOR_IMAGE = '159807026194.dkr.ecr.us-west-2.amazonaws.com/sagemaker-model-monitor-analyzer';

/** S3Input members the SDK writes for every quality check input. */
function s3Input(name: string, s3Uri: unknown): object {
  return {
    InputName: name,
    AppManaged: false,
    S3Input: {
      S3Uri: s3Uri,
      LocalPath: `/opt/ml/processing/input/${name}`,
      S3DataType: 'S3Prefix',
      S3InputMode: 'File',
      S3DataDistributionType: 'FullyReplicated',
      S3CompressionType: 'None',
    },
  };
}

const flags = {
  modelPackageGroup: { get: 'Parameters.MyModelPackageGroup' },
  suppliedBaselineStatistics: { get: 'Parameters.SuppliedBaselineStatisticsUri' },
  suppliedBaselineConstraints: { get: 'Parameters.SuppliedBaselineConstraintsUri' },
};

describe('quality-check emitter', () => {
  // Mirrors test_quality_check_step.py::test_data_quality_check_step (SDK v2.257.6). The SDK test
  // pops the script inputs' S3Uri; with s3:// scripts they are the scripts' URIs.
  it('emits the SDK data quality step, key for key and in order', () => {
    const ctx = fakeContext();
    const step = {
      name: 'DataQualityCheckStep',
      type: 'quality-check',
      checkType: 'data-quality',
      baselineDataset: { get: 'Parameters.BaselineDataset' },
      datasetFormat: { csv: { header: true } },
      output: 's3://...',
      recordPreprocessorScript: 's3://my_bucket/data_quality/preprocessor.py',
      postAnalyticsProcessorScript: 's3://my_bucket/data_quality/postprocessor.py',
      job: { instanceType: 'ml.m5.xlarge', instanceCount: 1, volumeSizeInGB: 60, maxRuntimeInSeconds: 1800, role: 'DummyRole' },
      skipCheck: false,
      failOnViolation: false,
      registerNewBaseline: false,
      ...flags,
    } satisfies QualityCheckStep;

    const [definition, ...rest] = emitQualityCheck(step, ctx, '/steps/0');

    const expected = {
      Name: 'DataQualityCheckStep',
      Type: 'QualityCheck',
      Arguments: {
        ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 60 } },
        AppSpecification: { ImageUri: MONITOR_IMAGE },
        RoleArn: 'DummyRole',
        ProcessingInputs: [
          s3Input('baseline_dataset_input', { Get: 'Parameters.BaselineDataset' }),
          s3Input('post_analytics_processor_script_input', 's3://my_bucket/data_quality/postprocessor.py'),
          s3Input('record_preprocessor_script_input', 's3://my_bucket/data_quality/preprocessor.py'),
        ],
        ProcessingOutputConfig: {
          Outputs: [
            {
              OutputName: 'quality_check_output',
              AppManaged: false,
              S3Output: { S3Uri: 's3://...', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' },
            },
          ],
        },
        Environment: {
          output_path: '/opt/ml/processing/output',
          publish_cloudwatch_metrics: 'Disabled',
          dataset_format: '{"csv": {"header": true, "output_columns_position": "START"}}',
          record_preprocessor_script: '/opt/ml/processing/input/record_preprocessor_script_input/preprocessor.py',
          post_analytics_processor_script: '/opt/ml/processing/input/post_analytics_processor_script_input/postprocessor.py',
          dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
        },
        StoppingCondition: { MaxRuntimeInSeconds: 1800 },
      },
      CheckType: 'DATA_QUALITY',
      ModelPackageGroupName: { Get: 'Parameters.MyModelPackageGroup' },
      SkipCheck: false,
      FailOnViolation: false,
      RegisterNewBaseline: false,
      SuppliedBaselineStatistics: { Get: 'Parameters.SuppliedBaselineStatisticsUri' },
      SuppliedBaselineConstraints: { Get: 'Parameters.SuppliedBaselineConstraintsUri' },
    };
    expect(rest).toHaveLength(0);
    expect(json(definition)).toStrictEqual(expected);
    // Key order is part of the contract: the definition text must diff cleanly against the SDK's.
    expect(JSON.stringify(definition)).toBe(JSON.stringify(expected));
    expect(ctx.errors).toStrictEqual([]);
  });

  // Mirrors test_model_quality_check_step's parametrized attribute values.
  it.each([
    [0, '0'],
    ['attr', 'attr'],
    [{ get: 'Parameters.ParamStringEnvVar' }, { Get: 'Parameters.ParamStringEnvVar' }],
    [{ get: 'Execution.PipelineArn' }, { Get: 'Execution.PipelineArn' }],
  ])('writes model quality attribute %j as %j, after the SDK environment', (value, expected) => {
    const ctx = fakeContext();
    const step = {
      name: 'ModelQualityCheckStep',
      type: 'quality-check',
      checkType: 'model-quality',
      baselineDataset: 's3://my_bucket/baseline',
      datasetFormat: { csv: {} },
      problemType: 'BinaryClassification',
      inferenceAttribute: value,
      probabilityAttribute: value,
      groundTruthAttribute: value,
      probabilityThresholdAttribute: value,
      postAnalyticsProcessorScript: 's3://my_bucket/data_quality/postprocessor.py',
      job: { volumeSizeInGB: 60, maxRuntimeInSeconds: 1800, role: 'DummyRole' },
      ...flags,
    } satisfies QualityCheckStep;

    const [definition] = emitQualityCheck(step, ctx, '/steps/0');

    expect(JSON.stringify(definition?.Arguments.Environment)).toBe(
      JSON.stringify({
        output_path: '/opt/ml/processing/output',
        publish_cloudwatch_metrics: 'Disabled',
        dataset_format: '{"csv": {"header": true, "output_columns_position": "START"}}',
        post_analytics_processor_script: '/opt/ml/processing/input/post_analytics_processor_script_input/postprocessor.py',
        dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
        analysis_type: 'MODEL_QUALITY',
        problem_type: 'BinaryClassification',
        inference_attribute: expected,
        probability_attribute: expected,
        ground_truth_attribute: expected,
        probability_threshold_attribute: expected,
      }),
    );
    // A model quality check has no record preprocessor input.
    expect(json(definition?.Arguments.ProcessingInputs)).toStrictEqual([
      s3Input('baseline_dataset_input', 's3://my_bucket/baseline'),
      s3Input('post_analytics_processor_script_input', 's3://my_bucket/data_quality/postprocessor.py'),
    ]);
    expect(definition?.CheckType).toBe('MODEL_QUALITY');
    expect(definition?.FailOnViolation).toBe(true);
  });

  it.each([
    [0, '0'], [0.5, '0.5'], [12, '12'], [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5e-7, '1.5e-07'],
    [1e16, '1e+16'], [2.5e20, '2.5e+20'], [-0.00003, '-3e-05'],
  ])('prints the number %d as Python str() does: %s', (value, text) => {
    expect(pythonNumberText(value)).toBe(text);
  });

  it('defaults the SDK way: CheckJobConfig sizes, pipeline role, null baselines, per-execution output', () => {
    const ctx = fakeContext({ bucketPrefix: 'team' });
    const step = {
      name: 'DQ',
      type: 'quality-check',
      checkType: 'data-quality',
      baselineDataset: 's3://b/train.csv',
      datasetFormat: { json: {} },
    } satisfies QualityCheckStep;

    const [definition] = emitQualityCheck(step, ctx, '/steps/0');

    expect(definition?.Arguments.ProcessingResources).toStrictEqual({
      ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
    });
    expect(definition?.Arguments.RoleArn).toBe(ctx.roleArn);
    expect(definition?.Arguments.StoppingCondition).toBeUndefined();
    expect(definition?.Arguments.NetworkConfig).toBeUndefined();
    expect(json(definition?.Arguments.ProcessingOutputConfig)).toStrictEqual({
      Outputs: [
        {
          OutputName: 'quality_check_output',
          AppManaged: false,
          S3Output: {
            S3Uri: {
              'Std:Join': {
                On: '/',
                Values: ['s3:/', 'my-bucket', 'team', 'MyPipeline', { Get: 'Execution.PipelineExecutionId' }, 'DQ', 'output', 'quality_check_output'],
              },
            },
            LocalPath: '/opt/ml/processing/output',
            S3UploadMode: 'EndOfJob',
          },
        },
      ],
    });
    expect((definition?.Arguments.Environment as Record<string, unknown>).dataset_format).toBe('{"json": {"lines": true}}');
    expect(definition).toMatchObject({
      ModelPackageGroupName: null,
      SkipCheck: false,
      FailOnViolation: true,
      RegisterNewBaseline: false,
      SuppliedBaselineStatistics: null,
      SuppliedBaselineConstraints: null,
    });
  });

  it('uploads local dataset and scripts as assets and points the analyzer at the script names', () => {
    const ctx = fakeContext();
    const step = {
      name: 'DQ',
      type: 'quality-check',
      checkType: 'data-quality',
      baselineDataset: 'data/baseline.csv',
      datasetFormat: { csv: { header: false, outputColumnsPosition: 'END' } },
      recordPreprocessorScript: 'monitoring/pre.py',
      postAnalyticsProcessorScript: 'monitoring/post.py',
    } satisfies QualityCheckStep;

    const [definition] = emitQualityCheck(step, ctx, '/steps/0');

    expect(ctx.assets).toStrictEqual([
      { path: 'data/baseline.csv', prefix: 'MyPipeline/DQ/input/baseline_dataset_input', fileName: undefined },
      { path: 'monitoring/post.py', prefix: 'MyPipeline/DQ/input/post_analytics_processor_script_input', fileName: 'post.py' },
      { path: 'monitoring/pre.py', prefix: 'MyPipeline/DQ/input/record_preprocessor_script_input', fileName: 'pre.py' },
    ]);
    const inputs = definition?.Arguments.ProcessingInputs as { S3Input: { S3Uri: string } }[];
    expect(inputs.map((i) => i.S3Input.S3Uri)).toStrictEqual([
      's3://my-bucket/MyPipeline/DQ/input/baseline_dataset_input/HASH/baseline.csv',
      's3://my-bucket/MyPipeline/DQ/input/post_analytics_processor_script_input/HASH/post.py',
      's3://my-bucket/MyPipeline/DQ/input/record_preprocessor_script_input/HASH/pre.py',
    ]);
    expect(definition?.Arguments.Environment).toMatchObject({
      dataset_format: '{"csv": {"header": false, "output_columns_position": "END"}}',
      record_preprocessor_script: '/opt/ml/processing/input/record_preprocessor_script_input/pre.py',
      post_analytics_processor_script: '/opt/ml/processing/input/post_analytics_processor_script_input/post.py',
    });
  });

  it('puts the user environment first and lets generated keys win in place, like the SDK env map', () => {
    const ctx = fakeContext();
    const step = {
      name: 'DQ',
      type: 'quality-check',
      checkType: 'data-quality',
      baselineDataset: 's3://b/d',
      datasetFormat: { sagemakerCaptureJson: {} },
      job: {
        env: { MY_FLAG: '1', output_path: '/elsewhere', FROM_PARAM: { get: 'Parameters.Flag' } },
        network: { subnets: ['subnet-1'], enableInterContainerTrafficEncryption: true },
        outputKmsKey: 'alias/out',
        volumeKmsKey: 'alias/vol',
        tags: { team: 'ml' },
      },
    } satisfies QualityCheckStep;

    const [definition] = emitQualityCheck(step, ctx, '/steps/0');
    const args = definition?.Arguments ?? {};

    expect(Object.keys(args.Environment as object)).toStrictEqual([
      'MY_FLAG', 'output_path', 'FROM_PARAM', 'publish_cloudwatch_metrics', 'dataset_format', 'dataset_source',
    ]);
    expect(args.Environment).toMatchObject({ output_path: '/opt/ml/processing/output', FROM_PARAM: { Get: 'Parameters.Flag' } });
    expect(args.NetworkConfig).toStrictEqual({
      EnableNetworkIsolation: false,
      EnableInterContainerTrafficEncryption: true,
      VpcConfig: { Subnets: ['subnet-1'] },
    });
    expect((args.ProcessingOutputConfig as { KmsKeyId: string }).KmsKeyId).toBe('alias/out');
    expect(args.ProcessingResources).toMatchObject({ ClusterConfig: { VolumeKmsKeyId: 'alias/vol' } });
    expect(args.Tags).toStrictEqual([{ Key: 'team', Value: 'ml' }]);
    expect(Object.keys(args)).toStrictEqual([
      'ProcessingResources', 'AppSpecification', 'RoleArn', 'ProcessingInputs', 'ProcessingOutputConfig', 'Environment', 'NetworkConfig', 'Tags',
    ]);
  });

  it('rejects model quality members on a data quality check and the preprocessor on a model quality check', () => {
    const ctx = fakeContext();
    emitQualityCheck(
      { name: 'DQ', type: 'quality-check', checkType: 'data-quality', baselineDataset: 's3://b/d', datasetFormat: { csv: {} }, problemType: 'Regression' },
      ctx,
      '/steps/0',
    );
    emitQualityCheck(
      {
        name: 'MQ', type: 'quality-check', checkType: 'model-quality', baselineDataset: 's3://b/d', datasetFormat: { csv: {} },
        problemType: 'Regression', recordPreprocessorScript: 's3://b/pre.py',
      },
      ctx,
      '/steps/1',
    );
    expect(ctx.errors).toStrictEqual([
      { pointer: '/steps/0/problemType', message: 'problemType applies to model-quality checks only.' },
      { pointer: '/steps/1/recordPreprocessorScript', message: 'recordPreprocessorScript applies to data-quality checks only.' },
    ]);
  });

  it('deep-merges raw into the job request and reports collisions with compiler-set values', () => {
    const ctx = fakeContext();
    const [definition] = emitQualityCheck(
      {
        name: 'DQ', type: 'quality-check', checkType: 'data-quality', baselineDataset: 's3://b/d', datasetFormat: { csv: {} },
        raw: { ProcessingJobName: 'CheckJobPrefix', AppSpecification: { ContainerArguments: ['--x'] }, RoleArn: 'arn:other' },
      },
      ctx,
      '/steps/0',
    );
    expect(definition?.Arguments.ProcessingJobName).toBe('CheckJobPrefix');
    expect(definition?.Arguments.AppSpecification).toStrictEqual({
      ImageUri: '159807026194.dkr.ecr.us-west-2.amazonaws.com/sagemaker-model-monitor-analyzer',
      ContainerArguments: ['--x'],
    });
    expect(ctx.errors.map((e) => e.pointer)).toStrictEqual(['/steps/0/raw/RoleArn']);
  });

  it('rejects dataset and script locations that are neither s3:// nor repository files', () => {
    const ctx = fakeContext();
    emitQualityCheck(
      {
        name: 'DQ', type: 'quality-check', checkType: 'data-quality', baselineDataset: 'https://example.com/d.csv',
        datasetFormat: { csv: {} }, postAnalyticsProcessorScript: 'gs://bucket/post.py',
      },
      ctx,
      '/steps/0',
    );
    expect(ctx.errors).toStrictEqual([
      { pointer: '/steps/0/baselineDataset', message: 'https://example.com/d.csv is neither an s3:// URI nor a file in the repository.' },
      { pointer: '/steps/0/postAnalyticsProcessorScript', message: 'gs://bucket/post.py is neither an s3:// URI nor a file in the repository.' },
    ]);
    expect(ctx.assets).toStrictEqual([]);
  });

  it('reports a region without an analyzer image', () => {
    const ctx = fakeContext({ region: 'xx-nowhere-1' });
    emitQualityCheck({ name: 'DQ', type: 'quality-check', checkType: 'data-quality', baselineDataset: 's3://b/d', datasetFormat: { csv: {} } }, ctx, '/steps/0');
    expect(ctx.errors.map((e) => e.pointer)).toStrictEqual(['/steps/0']);
    expect(ctx.errors[0]?.message).toMatch(/^No Model Monitor analyzer image for region xx-nowhere-1/);
  });
});
