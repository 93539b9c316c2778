/**
 * The `tuning` step → a SageMaker Tuning step, as the SDK's TuningStep emits a
 * HyperparameterTuner's CreateHyperParameterTuningJob request (`_map_tuning_config` +
 * `_map_training_config`) without HyperParameterTuningJobName.
 */
import { childPointer } from '../../spec/source-map.js';
import type { HyperparameterRange, TuningStep } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue, StepDefinition, StepEmitter } from '../types.js';
import { mergeRaw, setExpr } from './common.js';
import { channels, prepareEstimator } from './estimator.js';
import { toStringValue } from './hyperparameters.js';

export const tuningEmitter: StepEmitter<TuningStep> = {
  type: 'tuning',
  definitionType: 'Tuning',
  propertiesShape: 'DescribeHyperParameterTuningJobResponse',
  emit(step, ctx, pointer): StepDefinition[] {
    const estimatorPointer = childPointer(pointer, 'estimator');
    const estimator = step.estimator;
    const at = (key: string): string => childPointer(estimatorPointer, key);
    const prepared = prepareEstimator(estimator, ctx, estimatorPointer);
    const strategy = step.strategy ?? 'Bayesian';

    const resourceLimits: JsonObject = {
      // HyperparameterTuner: max_jobs defaults to 1 except for Grid search, which computes it.
      MaxNumberOfTrainingJobs: ctx.expr(step.maxJobs ?? (strategy === 'Grid' ? null : 1), childPointer(pointer, 'maxJobs')),
      MaxParallelTrainingJobs: ctx.expr(step.maxParallelJobs ?? 1, childPointer(pointer, 'maxParallelJobs')),
    };
    if (resourceLimits.MaxNumberOfTrainingJobs === null) delete resourceLimits.MaxNumberOfTrainingJobs;
    setExpr(resourceLimits, 'MaxRuntimeInSeconds', step.maxRuntimeInSeconds, ctx, childPointer(pointer, 'maxRuntimeInSeconds'));
    const tuningConfig: JsonObject = {
      Strategy: strategy,
      ResourceLimits: resourceLimits,
      TrainingJobEarlyStoppingType: step.earlyStopping ?? 'Off',
    };
    if (step.randomSeed !== undefined) tuningConfig.RandomSeed = step.randomSeed;
    tuningConfig.HyperParameterTuningJobObjective = { Type: step.objective.type ?? 'Maximize', MetricName: step.objective.metric };
    tuningConfig.ParameterRanges = parameterRanges(step.ranges, ctx, childPointer(pointer, 'ranges'));

    const tuned = new Set(Object.keys(step.ranges));
    for (const name of tuned) {
      if (prepared.scriptHyperparameters.some(([key]) => key === name)) {
        ctx.error(childPointer(childPointer(pointer, 'ranges'), name), `${name} is set by the compiler in script mode and cannot be tuned.`);
      }
    }
    const staticHyperparameters: [string, JsonValue][] = [
      ...prepared.hyperparameters.filter(([key]) => !tuned.has(key)),
      ...prepared.scriptHyperparameters,
      ...prepared.classMetadata,
    ];

    // HyperParameterTuningResourceConfig order (the tuner's): VolumeKmsKeyId first when set,
    // then InstanceCount, InstanceType, VolumeSizeInGB.
    const resourceConfig: JsonObject = {};
    setExpr(resourceConfig, 'VolumeKmsKeyId', estimator.volumeKmsKey, ctx, at('volumeKmsKey'));
    resourceConfig.InstanceCount = ctx.expr(estimator.instanceCount ?? 1, at('instanceCount'));
    resourceConfig.InstanceType = ctx.expr(estimator.instanceType, at('instanceType'));
    resourceConfig.VolumeSizeInGB = ctx.expr(estimator.volumeSizeInGB ?? 30, at('volumeSizeInGB'));
    const outputConfig: JsonObject = { S3OutputPath: prepared.outputPath };
    setExpr(outputConfig, 'KmsKeyId', estimator.outputKmsKey, ctx, at('outputKmsKey'));
    const algorithm: JsonObject = { TrainingInputMode: prepared.inputMode };
    if (prepared.metricDefinitions !== undefined) algorithm.MetricDefinitions = prepared.metricDefinitions;
    algorithm.TrainingImage = prepared.image;
    // A tuning job's training definition has no container entrypoint/arguments or metrics switch.
    for (const key of ['containerEntrypoint', 'containerArguments', 'enableSageMakerMetrics', 'debugger', 'profiler'] as const) {
      if (estimator[key] !== undefined) ctx.warning(at(key), `\`${key}\` has no effect in a tuning step: SageMaker's tuning training definition has no such setting.`);
    }

    const definition: JsonObject = {
      StaticHyperParameters: Object.fromEntries(staticHyperparameters),
      RoleArn: prepared.role,
      OutputDataConfig: outputConfig,
      StoppingCondition: prepared.stoppingCondition,
      HyperParameterTuningResourceConfig: resourceConfig,
      AlgorithmSpecification: algorithm,
    };
    const inputConfig = channels(step.inputs, ctx, childPointer(pointer, 'inputs'));
    if (inputConfig) definition.InputDataConfig = inputConfig;
    if (prepared.vpcConfig) definition.VpcConfig = prepared.vpcConfig;
    if (prepared.networkIsolation !== undefined) definition.EnableNetworkIsolation = prepared.networkIsolation;
    if (prepared.interContainerEncryption !== undefined) definition.EnableInterContainerTrafficEncryption = prepared.interContainerEncryption;
    if (estimator.spot === true) definition.EnableManagedSpotTraining = true;
    if (prepared.checkpoint) definition.CheckpointConfig = prepared.checkpoint;
    if (estimator.maxRetryAttempts !== undefined) definition.RetryStrategy = { MaximumRetryAttempts: estimator.maxRetryAttempts };
    if (prepared.environment) definition.Environment = prepared.environment;

    const args: JsonObject = { HyperParameterTuningJobConfig: tuningConfig, TrainingJobDefinition: definition };
    mergeRaw(args, step.raw, ctx, childPointer(pointer, 'raw'));
    return [{ Name: String(step.name), Type: 'Tuning', Arguments: args }];
  },
};

/** The spec's ranges → ParameterRanges, always with all three lists, as `HyperparameterTuner.hyperparameter_ranges()`. */
function parameterRanges(ranges: TuningStep['ranges'], ctx: EmitContext, pointer: string): JsonObject {
  const continuous: JsonValue[] = [];
  const categorical: JsonValue[] = [];
  const integer: JsonValue[] = [];
  for (const [name, range] of Object.entries(ranges)) {
    if (!range) continue;
    const at = childPointer(pointer, name);
    if (range.type === 'categorical') {
      if (!range.values) {
        ctx.error(at, `Categorical range ${name} needs \`values\`.`);
        continue;
      }
      // CategoricalParameter keeps str() of each value.
      categorical.push({ Name: name, Values: range.values.map((v, i) => toStringValue(v, 'str', ctx, childPointer(childPointer(at, 'values'), i))) });
      continue;
    }
    const entry = numericRange(name, range, ctx, at);
    if (entry) (range.type === 'integer' ? integer : continuous).push(entry);
  }
  return { ContinuousParameterRanges: continuous, CategoricalParameterRanges: categorical, IntegerParameterRanges: integer };
}

function numericRange(name: string, range: HyperparameterRange, ctx: EmitContext, pointer: string): JsonObject | undefined {
  if (range.min === undefined || range.max === undefined) {
    ctx.error(pointer, `${range.type === 'integer' ? 'Integer' : 'Continuous'} range ${name} needs \`min\` and \`max\`.`);
    return undefined;
  }
  if (range.values !== undefined) ctx.error(childPointer(pointer, 'values'), '`values` is for categorical ranges only.');
  if (range.type === 'integer') {
    for (const key of ['min', 'max'] as const) {
      const bound = range[key];
      if (typeof bound === 'number' && !Number.isInteger(bound)) ctx.error(childPointer(pointer, key), `Integer range ${name}: ${key} must be a whole number.`);
    }
  }
  if (typeof range.min === 'number' && typeof range.max === 'number' && range.min > range.max) {
    ctx.error(pointer, `Range ${name}: min (${range.min}) is greater than max (${range.max}).`);
  }
  return {
    Name: name,
    MinValue: toStringValue(range.min, 'str', ctx, childPointer(pointer, 'min')),
    MaxValue: toStringValue(range.max, 'str', ctx, childPointer(pointer, 'max')),
    ScalingType: range.scaling ?? 'Auto',
  };
}
