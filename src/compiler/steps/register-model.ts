/**
 * The `register-model` step: a model package version in the Model Registry (the SDK's ModelStep
 * over `model.register()`), emitted as the SDK's step collection: an optional
 * `<name>-RepackModel-0` Training step when the model has inference code, then
 * `<name>-RegisterModel` with the request of `get_create_model_package_request`.
 */
import { childPointer } from '../../spec/source-map.js';
import type { DriftCheckBaselines, FileSource, MetricsSource, ModelMetrics, RegisterModelStep } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue, Pointer, StepDefinition, StepEmitter } from '../types.js';
import { mergeRaw, setExpr, stringMap } from './common.js';
import { containerDefinition, needsRepack } from './model-container.js';
import { checkModelRetry } from './model.js';
import { emitRepack, repackedModelData } from './repack-model.js';

export const registerModelEmitter: StepEmitter<RegisterModelStep> = {
  type: 'register-model',
  definitionType: 'RegisterModel',
  propertiesShape: 'DescribeModelPackageOutput',
  definitionName: (specName) => `${specName}-RegisterModel`,
  emit: emitRegisterModel,
};

/** Builds the step collection of one spec `register-model` step. */
export function emitRegisterModel(step: RegisterModelStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  const at = (key: string): Pointer => childPointer(pointer, key);
  const model = step.model;
  const steps: StepDefinition[] = [];
  checkModelRetry(step.retry, ctx, pointer);
  let repacked: JsonValue | undefined;
  if (needsRepack(model)) {
    steps.push(emitRepack(step.name, model, ctx, at('model'), { role: ctx.roleArn, vpcConfig: undefined }));
    repacked = repackedModelData(step.name);
  } else if (model.entryPoint !== undefined || model.sourceDir !== undefined) {
    ctx.error(at('model'), 'Inference code needs both `entryPoint` and `sourceDir`.', '`entryPoint` names the script inside `sourceDir`.', 'model-code');
  }
  // The image is resolved for the model's instance type, else the first real-time instance type.
  const instanceType = model.instanceType ?? step.inferenceInstances?.[0];
  const container = containerDefinition(model, ctx, at('model'), repacked === undefined ? { instanceType } : { instanceType, repackedModelData: repacked });
  // update_container_with_inference_params: Inference Recommender fields on the container.
  setExpr(container, 'Framework', step.framework, ctx, at('framework'));
  setExpr(container, 'FrameworkVersion', step.frameworkVersion, ctx, at('frameworkVersion'));
  setExpr(container, 'NearestModelName', step.nearestModelName, ctx, at('nearestModelName'));

  // Key order and omissions of get_create_model_package_request; ModelPackageName and
  // CertifyForMarketplace are left out as _RegisterModelStep pops them.
  const args: JsonObject = { ModelPackageGroupName: ctx.expr(step.modelPackageGroup, at('modelPackageGroup')) };
  setExpr(args, 'ModelPackageDescription', step.modelPackageDescription, ctx, at('modelPackageDescription'));
  if (step.modelMetrics) args.ModelMetrics = modelMetrics(step.modelMetrics, ctx, at('modelMetrics'));
  if (step.driftCheckBaselines) {
    const baselines = driftCheckBaselines(step.driftCheckBaselines, ctx, at('driftCheckBaselines'));
    // `if drift_check_baselines:` — an empty request is left out.
    if (Object.keys(baselines).length) args.DriftCheckBaselines = baselines;
  }
  const customer = stringMap(step.customerMetadata, ctx, at('customerMetadata'));
  if (customer) args.CustomerMetadataProperties = customer;
  setExpr(args, 'Domain', step.domain, ctx, at('domain'));
  setExpr(args, 'SamplePayloadUrl', step.sampleInputS3Uri, ctx, at('sampleInputS3Uri'));
  setExpr(args, 'Task', step.task, ctx, at('task'));

  const inference: JsonObject = { Containers: [container] };
  setExpr(inference, 'SupportedContentTypes', step.contentTypes, ctx, at('contentTypes'));
  setExpr(inference, 'SupportedResponseMIMETypes', step.responseTypes, ctx, at('responseTypes'));
  setExpr(inference, 'SupportedRealtimeInferenceInstanceTypes', step.inferenceInstances, ctx, at('inferenceInstances'));
  setExpr(inference, 'SupportedTransformInstanceTypes', step.transformInstances, ctx, at('transformInstances'));
  args.InferenceSpecification = inference;
  args.ModelApprovalStatus = step.approvalStatus === undefined ? 'PendingManualApproval' : ctx.expr(step.approvalStatus, at('approvalStatus'));
  // The SDK's default skip_model_validation is the string "None" (validate), not null.
  args.SkipModelValidation = 'None';

  mergeRaw(args, step.raw, ctx, at('raw'));
  steps.push({ Name: `${step.name}-RegisterModel`, Type: 'RegisterModel', Arguments: args });
  return steps;
}

/** ModelMetrics._to_request_dict: quality sections only when set; Bias and Explainability always. */
function modelMetrics(metrics: ModelMetrics, ctx: EmitContext, pointer: Pointer): JsonObject {
  const at = (...tokens: string[]): Pointer => tokens.reduce<Pointer>((p, t) => childPointer(p, t), pointer);
  const out: JsonObject = {};
  const quality = statisticsAndConstraints(metrics.modelQuality, ctx, at('modelQuality'));
  if (quality) out.ModelQuality = quality;
  const dataQuality = statisticsAndConstraints(metrics.modelDataQuality, ctx, at('modelDataQuality'));
  if (dataQuality) out.ModelDataQuality = dataQuality;
  const bias: JsonObject = {};
  setSource(bias, 'Report', metrics.bias?.report, ctx, at('bias', 'report'));
  setSource(bias, 'PreTrainingReport', metrics.bias?.preTrainingReport, ctx, at('bias', 'preTrainingReport'));
  setSource(bias, 'PostTrainingReport', metrics.bias?.postTrainingReport, ctx, at('bias', 'postTrainingReport'));
  out.Bias = bias;
  const explainability: JsonObject = {};
  setSource(explainability, 'Report', metrics.explainability?.report, ctx, at('explainability', 'report'));
  out.Explainability = explainability;
  return out;
}

/** DriftCheckBaselines._to_request_dict: every section only when it has a member. */
function driftCheckBaselines(baselines: DriftCheckBaselines, ctx: EmitContext, pointer: Pointer): JsonObject {
  const at = (...tokens: string[]): Pointer => tokens.reduce<Pointer>((p, t) => childPointer(p, t), pointer);
  const out: JsonObject = {};
  const quality = statisticsAndConstraints(baselines.modelQuality, ctx, at('modelQuality'));
  if (quality) out.ModelQuality = quality;
  const dataQuality = statisticsAndConstraints(baselines.modelDataQuality, ctx, at('modelDataQuality'));
  if (dataQuality) out.ModelDataQuality = dataQuality;
  const bias: JsonObject = {};
  setFile(bias, 'ConfigFile', baselines.bias?.configFile, ctx, at('bias', 'configFile'));
  setSource(bias, 'PreTrainingConstraints', baselines.bias?.preTrainingConstraints, ctx, at('bias', 'preTrainingConstraints'));
  setSource(bias, 'PostTrainingConstraints', baselines.bias?.postTrainingConstraints, ctx, at('bias', 'postTrainingConstraints'));
  if (Object.keys(bias).length) out.Bias = bias;
  const explainability: JsonObject = {};
  setSource(explainability, 'Constraints', baselines.explainability?.constraints, ctx, at('explainability', 'constraints'));
  setFile(explainability, 'ConfigFile', baselines.explainability?.configFile, ctx, at('explainability', 'configFile'));
  if (Object.keys(explainability).length) out.Explainability = explainability;
  return out;
}

function statisticsAndConstraints(
  section: { statistics?: MetricsSource; constraints?: MetricsSource } | undefined,
  ctx: EmitContext,
  pointer: Pointer,
): JsonObject | undefined {
  const out: JsonObject = {};
  setSource(out, 'Statistics', section?.statistics, ctx, childPointer(pointer, 'statistics'));
  setSource(out, 'Constraints', section?.constraints, ctx, childPointer(pointer, 'constraints'));
  return Object.keys(out).length ? out : undefined;
}

/** MetricsSource._to_request_dict: ContentType, S3Uri, then ContentDigest when set. */
function setSource(target: JsonObject, key: string, source: MetricsSource | undefined, ctx: EmitContext, pointer: Pointer): void {
  if (!source) return;
  const out: JsonObject = {
    ContentType: ctx.expr(source.contentType, childPointer(pointer, 'contentType')),
    S3Uri: ctx.expr(source.s3Uri, childPointer(pointer, 's3Uri')),
  };
  setExpr(out, 'ContentDigest', source.contentDigest, ctx, childPointer(pointer, 'contentDigest'));
  target[key] = out;
}

/** FileSource._to_request_dict: S3Uri, then ContentDigest and ContentType when set. */
function setFile(target: JsonObject, key: string, source: FileSource | undefined, ctx: EmitContext, pointer: Pointer): void {
  if (!source) return;
  const out: JsonObject = { S3Uri: ctx.expr(source.s3Uri, childPointer(pointer, 's3Uri')) };
  setExpr(out, 'ContentDigest', source.contentDigest, ctx, childPointer(pointer, 'contentDigest'));
  setExpr(out, 'ContentType', source.contentType, ctx, childPointer(pointer, 'contentType'));
  target[key] = out;
}
