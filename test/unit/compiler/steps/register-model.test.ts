import { describe, expect, it } from 'vitest';
import { emitRegisterModel, registerModelEmitter } from '../../../../src/compiler/steps/register-model.js';
import type { RegisterModelStep } from '../../../../src/spec/types.generated.js';
import { fakeContext } from './model-fake-context.js';

const IMAGE = '123456789012.dkr.ecr.us-west-2.amazonaws.com/infer:1';
const J = 'application/json';
const base: RegisterModelStep = {
  name: 'Reg',
  type: 'register-model',
  modelPackageGroup: 'grp',
  model: { image: IMAGE, modelData: 's3://b/model.tar.gz' },
  contentTypes: ['text/csv'],
  responseTypes: ['text/csv'],
};

describe('register-model emitter', () => {
  it('names the definition step <name>-RegisterModel and reads DescribeModelPackageOutput', () => {
    expect(registerModelEmitter.definitionName?.('Reg', base)).toBe('Reg-RegisterModel');
    expect(registerModelEmitter.propertiesShape).toBe('DescribeModelPackageOutput');
  });

  it('writes the SDK defaults: PendingManualApproval and SkipModelValidation "None", no CertifyForMarketplace', () => {
    const [step] = emitRegisterModel(base, fakeContext(), '/steps/0');
    expect(JSON.stringify(step)).toBe(
      JSON.stringify({
        Name: 'Reg-RegisterModel',
        Type: 'RegisterModel',
        Arguments: {
          ModelPackageGroupName: 'grp',
          InferenceSpecification: {
            Containers: [{ Image: IMAGE, Environment: {}, ModelDataUrl: 's3://b/model.tar.gz' }],
            SupportedContentTypes: ['text/csv'],
            SupportedResponseMIMETypes: ['text/csv'],
          },
          ModelApprovalStatus: 'PendingManualApproval',
          SkipModelValidation: 'None',
        },
      }),
    );
  });

  it('always writes Bias and Explainability in ModelMetrics, as ModelMetrics._to_request_dict does', () => {
    const [step] = emitRegisterModel(
      { ...base, modelMetrics: { modelQuality: { statistics: { s3Uri: 's3://m/s.json', contentType: J } } } },
      fakeContext(),
      '/steps/0',
    );
    expect(JSON.stringify(step?.Arguments.ModelMetrics)).toBe(
      JSON.stringify({ ModelQuality: { Statistics: { ContentType: J, S3Uri: 's3://m/s.json' } }, Bias: {}, Explainability: {} }),
    );
  });

  it('leaves out empty DriftCheckBaselines sections and orders FileSource as S3Uri, ContentDigest, ContentType', () => {
    const [empty] = emitRegisterModel({ ...base, driftCheckBaselines: {} }, fakeContext(), '/steps/0');
    expect(empty?.Arguments).not.toHaveProperty('DriftCheckBaselines');
    const [step] = emitRegisterModel(
      { ...base, driftCheckBaselines: { bias: { configFile: { s3Uri: 's3://c.json', contentType: J, contentDigest: 'd' } } } },
      fakeContext(),
      '/steps/0',
    );
    expect(JSON.stringify(step?.Arguments.DriftCheckBaselines)).toBe(
      JSON.stringify({ Bias: { ConfigFile: { S3Uri: 's3://c.json', ContentDigest: 'd', ContentType: J } } }),
    );
  });

  it('puts Framework/FrameworkVersion/NearestModelName on the container and the rest in request order', () => {
    const [step] = emitRegisterModel(
      {
        ...base,
        approvalStatus: { get: 'Parameters.Approval' },
        modelPackageDescription: 'desc',
        customerMetadata: { k: 'v' },
        domain: 'MACHINE_LEARNING',
        task: 'REGRESSION',
        sampleInputS3Uri: 's3://sample',
        framework: 'XGBOOST',
        frameworkVersion: '1.7',
        nearestModelName: 'xgboost-1',
        inferenceInstances: ['ml.m5.large'],
        transformInstances: ['ml.m5.xlarge'],
      },
      fakeContext(),
      '/steps/0',
    );
    const args = step?.Arguments ?? {};
    expect(Object.keys(args)).toEqual([
      'ModelPackageGroupName',
      'ModelPackageDescription',
      'CustomerMetadataProperties',
      'Domain',
      'SamplePayloadUrl',
      'Task',
      'InferenceSpecification',
      'ModelApprovalStatus',
      'SkipModelValidation',
    ]);
    expect(args.ModelApprovalStatus).toEqual({ Get: 'Parameters.Approval' });
    const inference = args.InferenceSpecification as { Containers: Record<string, unknown>[] };
    expect(Object.keys(inference)).toEqual([
      'Containers',
      'SupportedContentTypes',
      'SupportedResponseMIMETypes',
      'SupportedRealtimeInferenceInstanceTypes',
      'SupportedTransformInstanceTypes',
    ]);
    expect(Object.keys(inference.Containers[0] ?? {})).toEqual(['Image', 'Environment', 'ModelDataUrl', 'Framework', 'FrameworkVersion', 'NearestModelName']);
  });

  it('repacks inference code before registering, with the repack step first in the collection', () => {
    const ctx = fakeContext();
    const steps = emitRegisterModel({ ...base, model: { ...base.model, entryPoint: 'inference.py', sourceDir: 'code' } }, ctx, '/steps/0');
    expect(steps.map((s) => s.Name)).toEqual(['Reg-RepackModel-0', 'Reg-RegisterModel']);
    const container = (steps[1]?.Arguments.InferenceSpecification as { Containers: Record<string, unknown>[] }).Containers[0];
    expect(container?.ModelDataUrl).toEqual({ Get: 'Steps.Reg-RepackModel-0.ModelArtifacts.S3ModelArtifacts' });
    expect(ctx.errors).toEqual([]);
  });

  it('rejects inference code given without its source directory', () => {
    const ctx = fakeContext();
    const steps = emitRegisterModel({ ...base, model: { ...base.model, entryPoint: 'inference.py' } }, ctx, '/steps/4');
    expect(steps).toHaveLength(1);
    expect(ctx.errors.map((e) => e.pointer)).toEqual(['/steps/4/model']);
  });
});

describe('register-model retry policies', () => {
  it('accepts step retry types and refuses SageMaker job ones', () => {
    const ctx = fakeContext();
    emitRegisterModel({ ...base, retry: [{ exceptionTypes: ['Step.SERVICE_FAULT'], maxAttempts: 2 }, { exceptionTypes: ['SageMaker.JOB_INTERNAL_ERROR'], expireAfterMinutes: 5 }] }, ctx, '/steps/1');
    expect(ctx.errors.map((e) => e.pointer)).toEqual(['/steps/1/retry/1/exceptionTypes/0']);
  });
});
