/**
 * The `training` step → a SageMaker Training step, as the SDK's TrainingStep emits an Estimator's
 * CreateTrainingJob request (`Session._get_train_request`) without TrainingJobName and
 * ExperimentConfig, including the Debugger/profiler defaults the SDK adds.
 */
import { childPointer } from '../../spec/source-map.js';
import type { TrainingStep } from '../../spec/types.generated.js';
import type { JsonObject, StepDefinition, StepEmitter } from '../types.js';
import { mergeRaw, setExpr } from './common.js';
import { channels, prepareEstimator, regionSupportsDebugger } from './estimator.js';

export const trainingEmitter: StepEmitter<TrainingStep> = {
  type: 'training',
  definitionType: 'Training',
  propertiesShape: 'DescribeTrainingJobResponse',
  emit(step, ctx, pointer): StepDefinition[] {
    const estimatorPointer = childPointer(pointer, 'estimator');
    const estimator = step.estimator;
    const at = (key: string): string => childPointer(estimatorPointer, key);
    const prepared = prepareEstimator(estimator, ctx, estimatorPointer);

    const algorithm: JsonObject = { TrainingInputMode: prepared.inputMode, TrainingImage: prepared.image };
    setExpr(algorithm, 'ContainerEntrypoint', estimator.containerEntrypoint, ctx, at('containerEntrypoint'));
    setExpr(algorithm, 'ContainerArguments', estimator.containerArguments, ctx, at('containerArguments'));
    if (prepared.metricDefinitions !== undefined) algorithm.MetricDefinitions = prepared.metricDefinitions;
    if (prepared.enableMetrics !== undefined) algorithm.EnableSageMakerMetricsTimeSeries = prepared.enableMetrics;

    const outputConfig: JsonObject = { S3OutputPath: prepared.outputPath };
    setExpr(outputConfig, 'KmsKeyId', estimator.outputKmsKey, ctx, at('outputKmsKey'));

    // _Job._prepare_resource_config order: VolumeSizeInGB, VolumeKmsKeyId, InstanceCount, InstanceType.
    const resourceConfig: JsonObject = { VolumeSizeInGB: ctx.expr(estimator.volumeSizeInGB ?? 30, at('volumeSizeInGB')) };
    setExpr(resourceConfig, 'VolumeKmsKeyId', estimator.volumeKmsKey, ctx, at('volumeKmsKey'));
    resourceConfig.InstanceCount = ctx.expr(estimator.instanceCount ?? 1, at('instanceCount'));
    resourceConfig.InstanceType = ctx.expr(estimator.instanceType, at('instanceType'));

    const args: JsonObject = {
      AlgorithmSpecification: algorithm,
      OutputDataConfig: outputConfig,
      StoppingCondition: prepared.stoppingCondition,
      ResourceConfig: resourceConfig,
      RoleArn: prepared.role,
    };
    const inputConfig = channels(step.inputs, ctx, childPointer(pointer, 'inputs'));
    if (inputConfig) args.InputDataConfig = inputConfig;
    const hyperparameters = [...prepared.hyperparameters, ...prepared.scriptHyperparameters];
    if (hyperparameters.length) args.HyperParameters = Object.fromEntries(hyperparameters);
    if (prepared.environment) args.Environment = prepared.environment;
    if (prepared.vpcConfig) args.VpcConfig = prepared.vpcConfig;
    if (prepared.networkIsolation !== undefined) args.EnableNetworkIsolation = prepared.networkIsolation;
    if (prepared.interContainerEncryption !== undefined) args.EnableInterContainerTrafficEncryption = prepared.interContainerEncryption;
    if (estimator.spot === true) args.EnableManagedSpotTraining = true;
    if (prepared.checkpoint) args.CheckpointConfig = prepared.checkpoint;

    // The SDK's defaults: a DebugHookConfig and an enabled profiler writing under the output path.
    // Both are static values, so they do not defeat step caching.
    const debuggerOn = regionSupportsDebugger(ctx.region);
    if (debuggerOn && estimator.debugger !== false) {
      args.DebugHookConfig = { S3OutputPath: prepared.outputPath, CollectionConfigurations: [] };
    }
    args.ProfilerConfig =
      debuggerOn && estimator.profiler !== false
        ? { S3OutputPath: prepared.outputPath, DisableProfiler: false }
        : { DisableProfiler: true };
    if (estimator.maxRetryAttempts !== undefined) args.RetryStrategy = { MaximumRetryAttempts: estimator.maxRetryAttempts };
    mergeRaw(args, step.raw, ctx, childPointer(pointer, 'raw'));
    return [{ Name: String(step.name), Type: 'Training', Arguments: args }];
  },
};
