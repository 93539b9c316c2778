import { describe, expect, it } from 'vitest';
import { emitTransform, transformEmitter } from '../../../../src/compiler/steps/transform.js';
import type { TransformStep } from '../../../../src/spec/types.generated.js';
import { fakeContext } from './model-fake-context.js';

const minimal: TransformStep = {
  name: 'MyTransformStep',
  type: 'transform',
  transformer: { modelName: { get: 'Steps.M.ModelName' }, instanceType: 'ml.m5.xlarge' },
  input: { data: 's3://my-bucket/my-data' },
};

describe('transform emitter', () => {
  it('defaults the output path to the SDK pipeline Join and leaves out unset sections', () => {
    const [step] = emitTransform(minimal, fakeContext(), '/steps/0');
    expect(JSON.stringify(step?.Arguments)).toBe(
      JSON.stringify({
        ModelName: { Get: 'Steps.M.ModelName' },
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://my-bucket/my-data' } } },
        TransformOutput: {
          S3OutputPath: {
            'Std:Join': { On: '/', Values: ['s3:/', 'my-bucket', 'MyPipeline', { Get: 'Execution.PipelineExecutionId' }, 'MyTransformStep'] },
          },
        },
        TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge' },
      }),
    );
    expect(transformEmitter.propertiesShape).toBe('DescribeTransformJobResponse');
  });

  it('puts the bucket prefix into the default output path, as default_bucket_prefix does', () => {
    const [step] = emitTransform(minimal, fakeContext({ bucketPrefix: 'team/a' }), '/steps/0');
    const join = (step?.Arguments.TransformOutput as { S3OutputPath: { 'Std:Join': { Values: unknown[] } } }).S3OutputPath;
    expect(join['Std:Join'].Values.slice(0, 3)).toEqual(['s3:/', 'my-bucket', 'team/a']);
  });

  it('writes every field in _get_transform_request order', () => {
    const step: TransformStep = {
      ...minimal,
      transformer: {
        ...minimal.transformer,
        instanceCount: 2,
        outputPath: 's3://out',
        accept: 'text/csv',
        assembleWith: 'Line',
        strategy: 'SingleRecord',
        maxPayloadInMB: 6,
        maxConcurrentTransforms: 4,
        env: { A: '1' },
        volumeKmsKey: 'vk',
        outputKmsKey: 'ok',
      },
      input: { data: 's3://in', dataType: 'ManifestFile', contentType: 'text/csv', compressionType: 'Gzip', splitType: 'Line', inputFilter: '$[1:]', outputFilter: '$[-1]', joinSource: 'Input' },
    };
    const [out] = emitTransform(step, fakeContext(), '/steps/0');
    expect(JSON.stringify(out?.Arguments)).toBe(
      JSON.stringify({
        ModelName: { Get: 'Steps.M.ModelName' },
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'ManifestFile', S3Uri: 's3://in' } }, ContentType: 'text/csv', CompressionType: 'Gzip', SplitType: 'Line' },
        TransformOutput: { S3OutputPath: 's3://out', KmsKeyId: 'ok', AssembleWith: 'Line', Accept: 'text/csv' },
        TransformResources: { InstanceCount: 2, InstanceType: 'ml.m5.xlarge', VolumeKmsKeyId: 'vk' },
        BatchStrategy: 'SingleRecord',
        MaxConcurrentTransforms: 4,
        MaxPayloadInMB: 6,
        Environment: { A: '1' },
        DataProcessing: { InputFilter: '$[1:]', OutputFilter: '$[-1]', JoinSource: 'Input' },
      }),
    );
  });

  it('merges raw arguments and rejects raw keys the compiler sets', () => {
    const ctx = fakeContext();
    const [out] = emitTransform({ ...minimal, raw: { ModelClientConfig: { InvocationsMaxRetries: 2 }, TransformResources: { InstanceType: 'x' } } }, ctx, '/steps/0');
    expect(out?.Arguments.ModelClientConfig).toEqual({ InvocationsMaxRetries: 2 });
    expect(ctx.errors.map((e) => e.pointer)).toEqual(['/steps/0/raw/TransformResources/InstanceType']);
  });
});

describe('transform input data', () => {
  it('refuses a literal that is not an S3 URI, as Transformer.transform does', () => {
    const ctx = fakeContext();
    emitTransform({ ...minimal, input: { data: 'data/batch.csv' } }, ctx, '/steps/3');
    expect(ctx.errors.map((e) => e.pointer)).toEqual(['/steps/3/input/data']);
  });
});
