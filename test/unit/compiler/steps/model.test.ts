import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { emitModel, modelEmitter } from '../../../../src/compiler/steps/model.js';
import { REPACK_SCRIPT_NAME } from '../../../../src/compiler/steps/repack-script.js';
import type { ModelStep } from '../../../../src/spec/types.generated.js';
import { fakeContext } from './model-fake-context.js';

/** The members of the repack step's Arguments this test reads. */
interface RepackArguments {
  AlgorithmSpecification: { TrainingImage: string };
  InputDataConfig: { ChannelName: string; DataSource: { S3DataSource: { S3Uri: unknown } } }[];
  HyperParameters: Record<string, string>;
  OutputDataConfig: unknown;
}

const IMAGE = '123456789012.dkr.ecr.us-west-2.amazonaws.com/infer:1';
const ROLE = 'arn:aws:iam::123456789012:role/PipelineRole';

describe('model emitter', () => {
  it('names the definition step <name>-CreateModel so Steps.<name>.ModelName resolves there', () => {
    expect(modelEmitter.definitionName?.('MyModelStep', { name: 'MyModelStep', type: 'model' })).toBe('MyModelStep-CreateModel');
    expect(modelEmitter.propertiesShape).toBe('DescribeModelOutput');
  });

  it('writes ExecutionRoleArn and a PrimaryContainer with an Environment even when empty', () => {
    const step: ModelStep = { name: 'M', type: 'model', model: { image: IMAGE, modelData: { get: 'Parameters.ModelData' } } };
    expect(emitModel(step, fakeContext(), '/steps/0')).toEqual([
      {
        Name: 'M-CreateModel',
        Type: 'Model',
        Arguments: {
          ExecutionRoleArn: ROLE,
          PrimaryContainer: { Image: IMAGE, Environment: {}, ModelDataUrl: { Get: 'Parameters.ModelData' } },
        },
      },
    ]);
  });

  it('creates from a model package as a ModelPackageName container in Containers', () => {
    const ctx = fakeContext();
    const [out] = emitModel({ name: 'P', type: 'model', modelPackage: { get: 'Steps.R.ModelPackageArn' }, role: 'arn:aws:iam::1:role/R' }, ctx, '/steps/0');
    expect(out?.Arguments).toEqual({ ExecutionRoleArn: 'arn:aws:iam::1:role/R', Containers: [{ ModelPackageName: { Get: 'Steps.R.ModelPackageArn' } }] });
    expect(ctx.errors).toEqual([]);
  });

  it('writes VpcConfig and only a truthy EnableNetworkIsolation, as _create_model_request does', () => {
    const model = { image: IMAGE };
    const [on] = emitModel({ name: 'M', type: 'model', model, network: { securityGroupIds: ['sg'], subnets: ['sn'], enableNetworkIsolation: true } }, fakeContext(), '/s');
    expect(JSON.stringify(on?.Arguments)).toBe(
      JSON.stringify({
        ExecutionRoleArn: ROLE,
        PrimaryContainer: { Image: IMAGE, Environment: {} },
        VpcConfig: { SecurityGroupIds: ['sg'], Subnets: ['sn'] },
        EnableNetworkIsolation: true,
      }),
    );
    const [off] = emitModel({ name: 'M', type: 'model', model, network: { enableNetworkIsolation: false } }, fakeContext(), '/s');
    expect(off?.Arguments).not.toHaveProperty('EnableNetworkIsolation');
    const ctx = fakeContext();
    emitModel({ name: 'M', type: 'model', model, network: { subnets: ['sn'], enableInterContainerTrafficEncryption: true } }, ctx, '/s');
    expect(ctx.errors.map((e) => e.pointer)).toEqual(['/s/network/enableInterContainerTrafficEncryption', '/s/network']);
  });

  it('adds a <name>-RepackModel-0 training step for inference code and reads the repacked archive from it', () => {
    const ctx = fakeContext();
    const step: ModelStep = {
      name: 'MyModelStep',
      type: 'model',
      model: { image: IMAGE, modelData: { get: 'Parameters.ModelData' }, entryPoint: 'inference.py', sourceDir: 'code', env: { A: '1' } },
    };
    const [repack, create] = emitModel(step, ctx, '/steps/0');
    expect(repack?.Name).toBe('MyModelStep-RepackModel-0');
    expect(repack?.Type).toBe('Training');
    expect(repack?.Description).toBe('Used to repack a model with customer scripts for a register/create model step');
    const args = repack?.Arguments as unknown as RepackArguments;
    expect(args.AlgorithmSpecification.TrainingImage).toBe('246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3');
    expect(args.InputDataConfig.map((c) => c.ChannelName)).toEqual(['training', 'code']);
    expect(args.InputDataConfig[0]?.DataSource.S3DataSource.S3Uri).toEqual({ Get: 'Parameters.ModelData' });
    expect(args.HyperParameters.inference_script).toBe('"inference.py"');
    expect(args.HyperParameters.sagemaker_program).toBe(`"${REPACK_SCRIPT_NAME}"`);
    expect(args.OutputDataConfig).toEqual({ S3OutputPath: 's3://my-bucket/MyPipeline/MyModelStep-RepackModel-0' });
    expect(ctx.assets).toEqual([{ path: 'code', kind: 'directory', prefix: 'MyPipeline/code' }]);
    // The submit directory is a tar.gz holding the repack program under its program name.
    const archive = gunzipSync(ctx.generated[0]?.body ?? new Uint8Array());
    expect(new TextDecoder().decode(archive.subarray(0, REPACK_SCRIPT_NAME.length))).toBe(REPACK_SCRIPT_NAME);
    expect(create?.Arguments.PrimaryContainer).toEqual({
      Image: IMAGE,
      Environment: {
        A: '1',
        SAGEMAKER_PROGRAM: 'inference.py',
        SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
        SAGEMAKER_CONTAINER_LOG_LEVEL: '20',
        SAGEMAKER_REGION: 'us-west-2',
      },
      ModelDataUrl: { Get: 'Steps.MyModelStep-RepackModel-0.ModelArtifacts.S3ModelArtifacts' },
    });
  });

  it('reports a model step with neither model nor modelPackage, and one with both', () => {
    const ctx = fakeContext();
    emitModel({ name: 'M', type: 'model' }, ctx, '/steps/0');
    emitModel({ name: 'M', type: 'model', model: { image: IMAGE }, modelPackage: 'arn' }, ctx, '/steps/1');
    expect(ctx.errors.map((e) => e.pointer)).toEqual(['/steps/0', '/steps/1/modelPackage']);
  });
});

describe('model step retry policies', () => {
  it('refuses SageMaker job retry types, as ModelStep refuses SageMakerJobStepRetryPolicy', () => {
    const ctx = fakeContext();
    emitModel(
      {
        name: 'M',
        type: 'model',
        model: { image: IMAGE },
        retry: [{ exceptionTypes: ['Step.THROTTLING', 'SageMaker.CAPACITY_ERROR'], maxAttempts: 2 }],
      },
      ctx,
      '/steps/0',
    );
    expect(ctx.errors.map((e) => e.pointer)).toEqual(['/steps/0/retry/0/exceptionTypes/1']);
  });
});
