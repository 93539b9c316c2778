/**
 * The `model` step: a SageMaker Model (the SDK's ModelStep over `model.create()`), emitted as the
 * step collection the SDK builds: an optional `<name>-RepackModel-0` Training step when the model
 * has inference code, then `<name>-CreateModel`. References to `Steps.<name>` resolve to the
 * CreateModel step, so `{get: Steps.<name>.ModelName}` works as in the SDK.
 */
import { childPointer } from '../../spec/source-map.js';
import type { ModelStep, NetworkConfig } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue, Pointer, StepDefinition, StepEmitter } from '../types.js';
import { mergeRaw, setExpr } from './common.js';
import { containerDefinition, needsRepack } from './model-container.js';
import { emitRepack, repackedModelData } from './repack-model.js';

export const modelEmitter: StepEmitter<ModelStep> = {
  type: 'model',
  definitionType: 'Model',
  propertiesShape: 'DescribeModelOutput',
  definitionName: (specName) => `${specName}-CreateModel`,
  emit: emitModel,
};

/** Builds the step collection of one spec `model` step. */
export function emitModel(step: ModelStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  const at = (key: string): Pointer => childPointer(pointer, key);
  const role = step.role === undefined ? ctx.roleArn : ctx.expr(step.role, at('role'));
  const network = modelNetwork(step.network, ctx, at('network'));
  const steps: StepDefinition[] = [];
  checkModelRetry(step.retry, ctx, pointer);

  const args: JsonObject = { ExecutionRoleArn: role };
  if (step.modelPackage !== undefined) {
    if (step.model !== undefined) ctx.error(at('modelPackage'), 'Give either `model` or `modelPackage`, not both.', undefined, 'model-source');
    // ModelPackage._create_sagemaker_model: a ModelPackageName container goes in `Containers`.
    args.Containers = [{ ModelPackageName: ctx.expr(step.modelPackage, at('modelPackage')) }];
  } else if (step.model !== undefined) {
    const model = step.model;
    let repacked: JsonValue | undefined;
    if (needsRepack(model)) {
      steps.push(emitRepack(step.name, model, ctx, at('model'), { role, vpcConfig: network.vpcConfig }));
      repacked = repackedModelData(step.name);
    } else if (model.entryPoint !== undefined || model.sourceDir !== undefined) {
      ctx.error(at('model'), 'Inference code needs both `entryPoint` and `sourceDir`.', '`entryPoint` names the script inside `sourceDir`.', 'model-code');
    }
    const options = repacked === undefined ? { instanceType: model.instanceType } : { instanceType: model.instanceType, repackedModelData: repacked };
    args.PrimaryContainer = containerDefinition(model, ctx, at('model'), options);
  } else {
    ctx.error(pointer, 'A model step needs `model` (image and artifacts) or `modelPackage` (a model package ARN).', undefined, 'model-source');
  }
  if (network.vpcConfig) args.VpcConfig = network.vpcConfig;
  // Session._create_model_request writes EnableNetworkIsolation only when it is truthy.
  if (network.isolation !== undefined && network.isolation !== false) args.EnableNetworkIsolation = network.isolation;

  // ModelName is left out, as the SDK trims it: SageMaker names the model per execution.
  mergeRaw(args, step.raw, ctx, at('raw'));
  steps.push({ Name: `${step.name}-CreateModel`, Type: 'Model', Arguments: args });
  return steps;
}

/**
 * Rejects SageMaker job retry types on a model collection: CreateModel and RegisterModel are not
 * jobs, and the SDK's ModelStep refuses SageMakerJobStepRetryPolicy for them the same way.
 */
export function checkModelRetry(retry: readonly { exceptionTypes: readonly string[] }[] | undefined, ctx: EmitContext, pointer: Pointer): void {
  (retry ?? []).forEach((policy, i) => {
    policy.exceptionTypes.forEach((type, j) => {
      if (type.startsWith('SageMaker.')) {
        ctx.error(childPointer(childPointer(childPointer(childPointer(pointer, 'retry'), i), 'exceptionTypes'), j), `${type} retries SageMaker jobs; a model step creates or registers a model, which is not a job.`, 'Use Step.SERVICE_FAULT or Step.THROTTLING.', 'model-retry');
      }
    });
  });
}

/** The model's `network:` → VpcConfig and EnableNetworkIsolation. */
function modelNetwork(network: NetworkConfig | undefined, ctx: EmitContext, pointer: Pointer): { vpcConfig?: JsonObject; isolation?: JsonValue } {
  if (!network) return {};
  const at = (key: string): Pointer => childPointer(pointer, key);
  if (network.enableInterContainerTrafficEncryption !== undefined) {
    ctx.error(at('enableInterContainerTrafficEncryption'), 'enableInterContainerTrafficEncryption applies to training and processing jobs, not to models.', undefined, 'model-network');
  }
  const out: { vpcConfig?: JsonObject; isolation?: JsonValue } = {};
  if (network.securityGroupIds !== undefined || network.subnets !== undefined) {
    if (network.securityGroupIds === undefined || network.subnets === undefined) {
      ctx.error(pointer, 'A VPC config needs both `securityGroupIds` and `subnets`.', undefined, 'model-network');
    }
    const vpc: JsonObject = {};
    setExpr(vpc, 'SecurityGroupIds', network.securityGroupIds, ctx, at('securityGroupIds'));
    setExpr(vpc, 'Subnets', network.subnets, ctx, at('subnets'));
    out.vpcConfig = vpc;
  }
  if (network.enableNetworkIsolation !== undefined) out.isolation = ctx.expr(network.enableNetworkIsolation, at('enableNetworkIsolation'));
  return out;
}
