import { describe, expect, it } from 'vitest';
import { emitClarifyCheck } from '../../../../src/compiler/steps/clarify-check.js';
import type { ClarifyBiasConfig, ClarifyCheckStep } from '../../../../src/spec/types.generated.js';
import { fakeContext, json } from './check-fake-context.js';

// Fixtures of test_clarify_check_step.py (SDK v2.257.6).
const S3_INPUT_PATH = 's3://my_bucket/input';
const S3_OUTPUT_PATH = 's3://my_bucket/output';
const CLARIFY_IMAGE = '306415355426.dkr.ecr.us-west-2.amazonaws.com/sagemaker-clarify-processing:1.0';

const dataConfig = { s3DataInputPath: S3_INPUT_PATH, s3OutputPath: S3_OUTPUT_PATH, label: 'fraud', datasetType: 'text/csv' } as const;
const biasConfig: ClarifyBiasConfig = { labelValuesOrThreshold: [0], facetName: 'customer_gender_female', facetValuesOrThreshold: [1] };
const modelConfig = { modelName: 'model_name', instanceType: 'ml.m5.xlarge', instanceCount: 1, acceptType: 'text/csv', contentType: 'text/csv' } as const;
const job = { instanceType: 'ml.m5.xlarge', instanceCount: 1, outputKmsKey: 'output_kms_key', role: 'DummyRole' };
const flags = {
  skipCheck: false,
  registerNewBaseline: false,
  modelPackageGroup: { get: 'Parameters.MyModelPackageGroup' },
  suppliedBaselineConstraints: 'supplied_baseline_constraints',
};

/** The SDK's expected Arguments, with our content-hashed analysis config URI. */
function expectedArguments(configUri: string): object {
  const input = (name: string, uri: string, localPath: string) => ({
    InputName: name,
    AppManaged: false,
    S3Input: {
      S3Uri: uri,
      LocalPath: localPath,
      S3DataType: 'S3Prefix',
      S3InputMode: 'File',
      S3DataDistributionType: 'FullyReplicated',
      S3CompressionType: 'None',
    },
  });
  return {
    ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 } },
    AppSpecification: { ImageUri: CLARIFY_IMAGE },
    RoleArn: 'DummyRole',
    ProcessingInputs: [
      input('analysis_config', configUri, '/opt/ml/processing/input/config'),
      input('dataset', S3_INPUT_PATH, '/opt/ml/processing/input/data'),
    ],
    ProcessingOutputConfig: {
      Outputs: [
        {
          OutputName: 'analysis_result',
          AppManaged: false,
          S3Output: { S3Uri: S3_OUTPUT_PATH, LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' },
        },
      ],
      KmsKeyId: 'output_kms_key',
    },
  };
}

describe('clarify-check emitter', () => {
  // test_data_bias_check_step: the SDK uploads the config to <s3_analysis_config_output_path>/analysis_config.json.
  it('emits the SDK data bias step and the analysis config it uploads', () => {
    const ctx = fakeContext();
    const step = {
      name: 'DataBiasCheckStep',
      type: 'clarify-check',
      checkType: 'data-bias',
      dataConfig,
      biasConfig,
      methods: 'all',
      job,
      ...flags,
      failOnViolation: false,
    } satisfies ClarifyCheckStep;

    const [definition] = emitClarifyCheck(step, ctx, '/steps/0');

    const configUri = 's3://my-bucket/MyPipeline/DataBiasCheckStep/input/analysis_config/HASH/analysis_config.json';
    const expected = {
      Name: 'DataBiasCheckStep',
      Type: 'ClarifyCheck',
      Arguments: expectedArguments(configUri),
      CheckType: 'DATA_BIAS',
      ModelPackageGroupName: { Get: 'Parameters.MyModelPackageGroup' },
      SkipCheck: false,
      FailOnViolation: false,
      RegisterNewBaseline: false,
      SuppliedBaselineConstraints: 'supplied_baseline_constraints',
    };
    expect(json(definition)).toStrictEqual(expected);
    expect(JSON.stringify(definition)).toBe(JSON.stringify(expected));
    // json.dump of DataConfig + BiasConfig + methods, Python separators.
    expect(ctx.generated).toStrictEqual([
      {
        fileName: 'analysis_config.json',
        prefix: 'MyPipeline/DataBiasCheckStep/input/analysis_config',
        text:
          '{"dataset_type": "text/csv", "label": "fraud", "label_values_or_threshold": [0], ' +
          '"facet": [{"name_or_index": "customer_gender_female", "value_or_threshold": [1]}], ' +
          '"methods": {"pre_training_bias": {"methods": "all"}, "report": {"name": "report", "title": "Analysis Report"}}}',
      },
    ]);
    expect(ctx.errors).toStrictEqual([]);
  });

  // test_model_bias_check_step.
  it('emits the SDK model bias step with ModelName and a predictor without the model name', () => {
    const ctx = fakeContext();
    const step = {
      name: 'ModelBiasCheckStep',
      type: 'clarify-check',
      checkType: 'model-bias',
      dataConfig,
      biasConfig,
      modelConfig,
      predictedLabelConfig: { probabilityThreshold: 0.8 },
      job,
      ...flags,
      failOnViolation: true,
    } satisfies ClarifyCheckStep;

    const [definition] = emitClarifyCheck(step, ctx, '/steps/0');

    const expected = {
      Name: 'ModelBiasCheckStep',
      Type: 'ClarifyCheck',
      Arguments: expectedArguments('s3://my-bucket/MyPipeline/ModelBiasCheckStep/input/analysis_config/HASH/analysis_config.json'),
      CheckType: 'MODEL_BIAS',
      ModelPackageGroupName: { Get: 'Parameters.MyModelPackageGroup' },
      SkipCheck: false,
      FailOnViolation: true,
      RegisterNewBaseline: false,
      SuppliedBaselineConstraints: 'supplied_baseline_constraints',
      ModelName: 'model_name',
    };
    expect(JSON.stringify(definition)).toBe(JSON.stringify(expected));
    expect(ctx.generated[0]?.text).toBe(
      '{"dataset_type": "text/csv", "label": "fraud", "label_values_or_threshold": [0], ' +
        '"facet": [{"name_or_index": "customer_gender_female", "value_or_threshold": [1]}], ' +
        '"methods": {"post_training_bias": {"methods": "all"}, "report": {"name": "report", "title": "Analysis Report"}}, ' +
        '"predictor": {"instance_type": "ml.m5.xlarge", "initial_instance_count": 1, "accept_type": "text/csv", "content_type": "text/csv"}, ' +
        '"probability_threshold": 0.8}',
    );
  });

  // test_model_explainability_check_step.
  it('emits the SDK model explainability step with the SHAP method', () => {
    const ctx = fakeContext();
    const step = {
      name: 'ModelExplainabilityCheckStep',
      type: 'clarify-check',
      checkType: 'model-explainability',
      dataConfig,
      modelConfig: { ...modelConfig, modelName: { get: 'Steps.CreateModel.ModelName' } },
      shapConfig: { baseline: [], numSamples: 15, aggMethod: 'mean_abs', saveLocalShapValues: true },
      job,
      ...flags,
      failOnViolation: false,
    } satisfies ClarifyCheckStep;

    const [definition] = emitClarifyCheck(step, ctx, '/steps/0');

    expect(definition?.CheckType).toBe('MODEL_EXPLAINABILITY');
    // The model may come from a model step; only the top-level ModelName carries it.
    expect(definition?.ModelName).toStrictEqual({ Get: 'Steps.CreateModel.ModelName' });
    expect(json(definition?.Arguments)).toStrictEqual(
      expectedArguments('s3://my-bucket/MyPipeline/ModelExplainabilityCheckStep/input/analysis_config/HASH/analysis_config.json'),
    );
    expect(ctx.generated[0]?.text).toBe(
      '{"dataset_type": "text/csv", "label": "fraud", ' +
        '"methods": {"shap": {"use_logit": false, "save_local_shap_values": true, "baseline": [], "num_samples": 15, "agg_method": "mean_abs"}, ' +
        '"report": {"name": "report", "title": "Analysis Report"}}, ' +
        '"predictor": {"instance_type": "ml.m5.xlarge", "initial_instance_count": 1, "accept_type": "text/csv", "content_type": "text/csv"}}',
    );
  });

  it('puts model scores in the predictor, or a predicted-label config and its threshold before the methods', () => {
    const base = {
      name: 'X', type: 'clarify-check', checkType: 'model-explainability', dataConfig, modelConfig,
      pdpConfig: { features: ['age'] },
    } satisfies ClarifyCheckStep;
    const byIndex = fakeContext();
    emitClarifyCheck({ ...base, modelScores: 1 }, byIndex, '/steps/0');
    expect(JSON.parse(byIndex.generated[0]?.text ?? '')).toMatchObject({
      methods: { pdp: { grid_resolution: 15, top_k_features: 10, features: ['age'] } },
      predictor: { label: 1 },
    });
    const byConfig = fakeContext();
    emitClarifyCheck({ ...base, modelScores: { probability: 'score', probabilityThreshold: 0.6 } }, byConfig, '/steps/0');
    const config = JSON.parse(byConfig.generated[0]?.text ?? '') as Record<string, unknown>;
    expect(Object.keys(config)).toStrictEqual(['dataset_type', 'label', 'probability_threshold', 'methods', 'predictor']);
    expect(config.predictor).toStrictEqual({
      instance_type: 'ml.m5.xlarge', initial_instance_count: 1, accept_type: 'text/csv', content_type: 'text/csv', probability: 'score',
    });
  });

  it('writes one facet entry per facet name and streams image results continuously', () => {
    const ctx = fakeContext();
    const [definition] = emitClarifyCheck(
      {
        name: 'X', type: 'clarify-check', checkType: 'data-bias',
        dataConfig: { s3DataInputPath: { get: 'Parameters.Input' }, s3OutputPath: S3_OUTPUT_PATH, datasetType: 'application/x-image', s3CompressionType: 'Gzip' },
        biasConfig: { labelValuesOrThreshold: [1], facetName: ['age', 'sex'], facetValuesOrThreshold: [[40], [0]], groupName: 'zip' },
        methods: ['CI', 'DPL'],
        job: { env: { A: 'b' } },
      },
      ctx,
      '/steps/0',
    );
    expect(JSON.parse(ctx.generated[0]?.text ?? '')).toStrictEqual({
      dataset_type: 'application/x-image',
      label_values_or_threshold: [1],
      facet: [{ name_or_index: 'age', value_or_threshold: [40] }, { name_or_index: 'sex', value_or_threshold: [0] }],
      group_variable: 'zip',
      methods: { pre_training_bias: { methods: ['CI', 'DPL'] }, report: { name: 'report', title: 'Analysis Report' } },
    });
    const args = definition?.Arguments ?? {};
    expect(json(args.ProcessingInputs)).toMatchObject([
      {},
      { S3Input: { S3Uri: { Get: 'Parameters.Input' }, S3CompressionType: 'Gzip' } },
    ]);
    expect(json(args.ProcessingOutputConfig)).toMatchObject({ Outputs: [{ S3Output: { S3UploadMode: 'Continuous' } }] });
    expect(args.Environment).toStrictEqual({ A: 'b' });
    expect(args.RoleArn).toBe(ctx.roleArn);
    // No env in the spec means no Environment key, as with the SDK's ModelBiasMonitor.
    const plain = fakeContext();
    const [other] = emitClarifyCheck({ name: 'Y', type: 'clarify-check', checkType: 'data-bias', dataConfig, biasConfig }, plain, '/steps/0');
    expect(other?.Arguments).not.toHaveProperty('Environment');
    expect(other).toMatchObject({ ModelPackageGroupName: null, SuppliedBaselineConstraints: null, FailOnViolation: true });
    expect(other).not.toHaveProperty('SuppliedBaselineStatistics');
    expect(other).not.toHaveProperty('ModelName');
  });

  it('uploads a local dataset as an asset and rejects a results destination outside S3', () => {
    const ctx = fakeContext();
    const [definition] = emitClarifyCheck(
      {
        name: 'X', type: 'clarify-check', checkType: 'data-bias', biasConfig,
        dataConfig: { s3DataInputPath: 'data/train.csv', s3OutputPath: 'results/' },
      },
      ctx,
      '/steps/0',
    );
    expect(ctx.assets).toStrictEqual([{ path: 'data/train.csv', prefix: 'MyPipeline/X/input/dataset', fileName: undefined }]);
    expect(json(definition?.Arguments.ProcessingInputs)).toMatchObject([
      {},
      { InputName: 'dataset', S3Input: { S3Uri: 's3://my-bucket/MyPipeline/X/input/dataset/HASH/train.csv' } },
    ]);
    expect(ctx.errors).toStrictEqual([{ pointer: '/steps/0/dataConfig/s3OutputPath', message: 'results/ is not an s3:// URI.' }]);
  });

  it('reports what the SDK config classes reject', () => {
    const ctx = fakeContext();
    emitClarifyCheck(
      {
        name: 'X', type: 'clarify-check', checkType: 'model-explainability',
        dataConfig: { s3DataInputPath: 's3://i', s3OutputPath: 's3://o', datasetType: 'application/json', facetHeaders: ['f'] },
        modelConfig: { modelName: 'm', instanceType: 'ml.m5.xlarge', instanceCount: 1, contentType: 'application/jsonlines', contentTemplate: '{}' },
        biasConfig,
        shapConfig: { baseline: 's3://b', numClusters: 2 },
        pdpConfig: {},
      },
      ctx,
      '/steps/0',
    );
    expect(ctx.errors).toStrictEqual([
      { pointer: '/steps/0/biasConfig', message: 'biasConfig does not apply to model-explainability checks.' },
      { pointer: '/steps/0', message: 'A model-explainability check needs exactly one of shapConfig and pdpConfig.' },
      { pointer: '/steps/0/dataConfig', message: 'features (a JMESPath) is required for application/json datasets.' },
      { pointer: '/steps/0/dataConfig/facetHeaders', message: 'facetHeaders is supported for text/csv datasets only.' },
      { pointer: '/steps/0/modelConfig/contentTemplate', message: 'contentType application/jsonlines needs a contentTemplate with the placeholder $features.' },
      { pointer: '/steps/0/shapConfig/numClusters', message: 'Baseline and numClusters cannot be provided together.' },
    ]);
  });

  it('reports facet values that do not match the facet names', () => {
    const ctx = fakeContext();
    emitClarifyCheck(
      {
        name: 'X', type: 'clarify-check', checkType: 'data-bias', dataConfig,
        biasConfig: { labelValuesOrThreshold: [1], facetName: ['a', 'b'], facetValuesOrThreshold: [[1]] },
      },
      ctx,
      '/steps/0',
    );
    expect(ctx.errors).toStrictEqual([
      { pointer: '/steps/0/biasConfig/facetValuesOrThreshold', message: 'The number of facet names doesn\'t match the number of facet values.' },
    ]);
  });
});
