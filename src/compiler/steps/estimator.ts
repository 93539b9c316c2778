/**
 * The Estimator shared by training and tuning steps: image, script-mode code and its
 * `sagemaker_*` hyperparameters, channels, output path, stopping condition and network flags,
 * as `EstimatorBase`/`Framework` and `_Job._load_config` prepare them inside a pipeline.
 */
import { childPointer } from '../../spec/source-map.js';
import type { Estimator, TrainingChannel } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue } from '../types.js';
import { classifyLocation, setExpr } from './common.js';
import { toStringValue, pythonJsonDumps, type HyperparameterEncoding } from './hyperparameters.js';

/** Framework estimator classes, for `sagemaker_estimator_class_name`/`_module` and the metrics default. */
const FRAMEWORK_CLASSES: Readonly<Record<string, { className: string; module: string; metricsFrom?: string }>> = {
  pytorch: { className: 'PyTorch', module: 'sagemaker.pytorch.estimator', metricsFrom: '1.3' },
  tensorflow: { className: 'TensorFlow', module: 'sagemaker.tensorflow.estimator', metricsFrom: '1.15' },
  mxnet: { className: 'MXNet', module: 'sagemaker.mxnet.estimator', metricsFrom: '1.6' },
  huggingface: { className: 'HuggingFace', module: 'sagemaker.huggingface.estimator', metricsFrom: '0' },
  sklearn: { className: 'SKLearn', module: 'sagemaker.sklearn.estimator' },
  xgboost: { className: 'XGBoost', module: 'sagemaker.xgboost.estimator' },
  chainer: { className: 'Chainer', module: 'sagemaker.chainer.estimator' },
};

/** Regions where the SDK turns SageMaker Debugger and the profiler off (fw_utils' unsupported lists). */
const DEBUGGER_UNSUPPORTED_REGIONS = new Set([
  'us-iso-east-1',
  'us-isob-east-1',
  'ap-southeast-3',
  'ap-southeast-4',
  'eu-south-2',
  'me-central-1',
  'ap-south-2',
  'eu-central-2',
  'us-gov-east-1',
]);

/** The parts of an estimator both job shapes are assembled from. */
export interface PreparedEstimator {
  scriptMode: boolean;
  image: JsonValue;
  inputMode: string;
  role: JsonValue;
  outputPath: JsonValue;
  /** User hyperparameters, encoded (tuned ones included; tuning removes them). */
  hyperparameters: [string, JsonValue][];
  /** sagemaker_submit_directory, sagemaker_program, sagemaker_container_log_level, sagemaker_region. */
  scriptHyperparameters: [string, JsonValue][];
  /** Framework class metadata, when the framework is known (tuning adds it). */
  classMetadata: [string, JsonValue][];
  metricDefinitions?: JsonValue;
  enableMetrics?: JsonValue;
  stoppingCondition: JsonObject;
  vpcConfig?: JsonObject;
  networkIsolation?: JsonValue;
  interContainerEncryption?: JsonValue;
  checkpoint?: JsonObject;
  environment?: JsonObject;
}

/** Prepares the estimator of a training or tuning step (reports problems through `ctx`). */
export function prepareEstimator(estimator: Estimator, ctx: EmitContext, pointer: string): PreparedEstimator {
  const at = (key: string): string => childPointer(pointer, key);
  const scriptMode = estimator.entryPoint !== undefined;
  const encoding: HyperparameterEncoding = scriptMode ? 'json' : 'str';
  const framework = typeof estimator.image === 'object' && estimator.image !== null && 'framework' in estimator.image ? estimator.image : undefined;
  const frameworkClass = framework ? FRAMEWORK_CLASSES[framework.framework.toLowerCase()] : undefined;

  if (estimator.sourceDir !== undefined && !scriptMode) {
    ctx.error(at('sourceDir'), '`sourceDir` needs an `entryPoint` (the script to run inside it).');
  }

  const prepared: PreparedEstimator = {
    scriptMode,
    image: ctx.image(estimator.image, at('image'), { instanceType: estimator.instanceType, scope: 'training' }) ?? null,
    inputMode: estimator.inputMode ?? 'File',
    role: estimator.role === undefined ? ctx.roleArn : ctx.expr(estimator.role, at('role')),
    outputPath:
      estimator.outputPath === undefined
        ? // EstimatorBase._prepare_for_training: s3://<default bucket>/<default prefix>/ with the end slash.
          `s3://${[ctx.bucket, ctx.bucketPrefix].filter((p) => p).join('/')}/`
        : ctx.expr(estimator.outputPath, at('outputPath')),
    hyperparameters: Object.entries(estimator.hyperparameters ?? {}).flatMap(([key, value]) =>
      value === undefined ? [] : [[key, toStringValue(value, encoding, ctx, childPointer(at('hyperparameters'), key))] as [string, JsonValue]],
    ),
    scriptHyperparameters: scriptMode ? scriptHyperparameters(estimator, ctx, pointer) : [],
    classMetadata:
      scriptMode && frameworkClass
        ? [
            ['sagemaker_estimator_class_name', pythonJsonDumps(frameworkClass.className)],
            ['sagemaker_estimator_module', pythonJsonDumps(frameworkClass.module)],
          ]
        : [],
    stoppingCondition: { MaxRuntimeInSeconds: ctx.expr(estimator.maxRuntimeInSeconds ?? 86400, at('maxRuntimeInSeconds')) },
  };
  if (estimator.maxWaitTimeInSeconds !== undefined) {
    if (estimator.spot !== true) ctx.error(at('maxWaitTimeInSeconds'), '`maxWaitTimeInSeconds` only applies to spot training.', 'Set `spot: true`, or remove it.');
    prepared.stoppingCondition.MaxWaitTimeInSeconds = ctx.expr(estimator.maxWaitTimeInSeconds, at('maxWaitTimeInSeconds'));
  }
  if (estimator.metricDefinitions !== undefined) {
    prepared.metricDefinitions = estimator.metricDefinitions.map((m) => ({ Name: m.name, Regex: m.regex }));
  }
  if (estimator.enableSageMakerMetrics !== undefined) {
    prepared.enableMetrics = ctx.expr(estimator.enableSageMakerMetrics, at('enableSageMakerMetrics'));
  } else if (scriptMode && framework && frameworkClass?.metricsFrom !== undefined && versionAtLeast(framework.version, frameworkClass.metricsFrom)) {
    // PyTorch/TensorFlow/MXNet/HuggingFace estimators switch metrics time series on by default.
    prepared.enableMetrics = true;
  }
  const network = estimator.network;
  if (network) {
    const n = childPointer(pointer, 'network');
    if ((network.subnets === undefined) !== (network.securityGroupIds === undefined)) {
      ctx.error(n, 'A VPC config needs both `subnets` and `securityGroupIds`.');
    } else if (network.subnets !== undefined) {
      // vpc_utils.to_dict order: Subnets, then SecurityGroupIds.
      prepared.vpcConfig = {
        Subnets: ctx.expr(network.subnets, childPointer(n, 'subnets')),
        SecurityGroupIds: ctx.expr(network.securityGroupIds, childPointer(n, 'securityGroupIds')),
      };
    }
    // The SDK writes these flags only when truthy (a pipeline variable counts as truthy).
    if (network.enableNetworkIsolation !== undefined && network.enableNetworkIsolation !== false) {
      prepared.networkIsolation = ctx.expr(network.enableNetworkIsolation, childPointer(n, 'enableNetworkIsolation'));
    }
    if (network.enableInterContainerTrafficEncryption !== undefined && network.enableInterContainerTrafficEncryption !== false) {
      prepared.interContainerEncryption = ctx.expr(network.enableInterContainerTrafficEncryption, childPointer(n, 'enableInterContainerTrafficEncryption'));
    }
  }
  if (estimator.checkpoint) {
    const checkpoint: JsonObject = { S3Uri: ctx.expr(estimator.checkpoint.s3Uri, childPointer(at('checkpoint'), 's3Uri')) };
    setExpr(checkpoint, 'LocalPath', estimator.checkpoint.localPath, ctx, childPointer(at('checkpoint'), 'localPath'));
    prepared.checkpoint = checkpoint;
  }
  if (estimator.env) {
    const environment: JsonObject = {};
    for (const [key, value] of Object.entries(estimator.env)) {
      if (value !== undefined) environment[key] = ctx.expr(value, childPointer(at('env'), key));
    }
    prepared.environment = environment;
  }
  return prepared;
}

/**
 * Script mode: the code goes up as `<pipeline>/code/<hash>/sourcedir.tar.gz` (the SDK's layout
 * for pipelines) and the container learns where through JSON-encoded hyperparameters.
 */
function scriptHyperparameters(estimator: Estimator, ctx: EmitContext, pointer: string): [string, JsonValue][] {
  const entryPoint = estimator.entryPoint ?? '';
  let submitDirectory: string | undefined;
  let program = entryPoint;
  if (estimator.sourceDir !== undefined && classifyLocation(estimator.sourceDir) === 's3') {
    submitDirectory = estimator.sourceDir;
  } else if (estimator.sourceDir !== undefined) {
    submitDirectory = ctx.asset(estimator.sourceDir, childPointer(pointer, 'sourceDir'), { kind: 'directory', prefix: `${ctx.pipelineName}/code`, contains: entryPoint });
  } else {
    // Without a source directory the SDK packs the entry point alone and runs it by its base name.
    program = entryPoint.slice(entryPoint.lastIndexOf('/') + 1);
    submitDirectory = ctx.asset(entryPoint, childPointer(pointer, 'entryPoint'), { kind: 'file', prefix: `${ctx.pipelineName}/code`, archive: true });
  }
  return [
    ['sagemaker_submit_directory', pythonJsonDumps(submitDirectory ?? '')],
    ['sagemaker_program', pythonJsonDumps(program)],
    ['sagemaker_container_log_level', pythonJsonDumps(estimator.containerLogLevel ?? 20)],
    // sagemaker_job_name is left out: the SDK pops it in pipelines (the job name is not known yet).
    ['sagemaker_region', pythonJsonDumps(ctx.region)],
  ];
}

/** The spec's channels → InputDataConfig (TrainingInput.config + ChannelName, in that order). */
export function channels(inputs: readonly TrainingChannel[] | undefined, ctx: EmitContext, pointer: string): JsonObject[] | undefined {
  if (!inputs || inputs.length === 0) return undefined;
  return inputs.map((input, i) => {
    const at = (key: string): string => childPointer(childPointer(pointer, i), key);
    const s3DataSource: JsonObject = {
      S3DataType: input.s3DataType ?? 'S3Prefix',
      S3Uri: ctx.expr(input.source, at('source')),
      S3DataDistributionType: input.distribution ?? 'FullyReplicated',
    };
    if (input.attributeNames) s3DataSource.AttributeNames = [...input.attributeNames];
    const channel: JsonObject = { DataSource: { S3DataSource: s3DataSource } };
    if (input.compression !== undefined) channel.CompressionType = input.compression;
    setExpr(channel, 'ContentType', input.contentType, ctx, at('contentType'));
    if (input.recordWrapping !== undefined) channel.RecordWrapperType = input.recordWrapping;
    if (input.inputMode !== undefined) channel.InputMode = input.inputMode;
    if (input.targetAttributeName !== undefined) channel.TargetAttributeName = input.targetAttributeName;
    if (input.shuffleSeed !== undefined) channel.ShuffleConfig = { Seed: input.shuffleSeed };
    channel.ChannelName = input.name;
    if (typeof input.source === 'string' && classifyLocation(input.source) !== 's3') {
      ctx.error(at('source'), `Channel ${input.name}: ${input.source} is not an s3:// URI.`, 'Training channels read from S3; use an s3:// URI or an expression such as {output: <Step>.<output>}.');
    }
    return channel;
  });
}

/** Whether the SDK turns SageMaker Debugger and the profiler on by default in `region`. */
export function regionSupportsDebugger(region: string): boolean {
  return !DEBUGGER_UNSUPPORTED_REGIONS.has(region.toLowerCase());
}

/** Numeric dotted-version comparison (`2.1` ≥ `1.3`); non-numeric parts compare as 0. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const b = minimum.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
