/**
 * The `emr` step: an EMR step (the SDK's EMRStep with an EMRStepConfig) that runs one Hadoop JAR
 * step on a running cluster (`clusterId`, AddJobFlowSteps) or on a cluster SageMaker creates and
 * terminates for the step (`clusterConfig`, RunJobFlow).
 */
import { childPointer } from '../../spec/source-map.js';
import type { EmrStep } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, Pointer, StepDefinition, StepEmitter } from '../types.js';
import { mergeRaw } from './common.js';

export const emrEmitter: StepEmitter<EmrStep> = {
  type: 'emr',
  definitionType: 'EMR',
  // Properties come from EMR's DescribeStep `Step` shape (service `emr`, not `sagemaker`).
  propertiesShape: 'Step',
  emit: emitEmr,
};

/** Builds the EMR step for one spec step. */
export function emitEmr(step: EmrStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  const at = (key: string): Pointer => childPointer(pointer, key);
  const config = step.stepConfig;
  const configAt = (key: string): Pointer => childPointer(at('stepConfig'), key);

  // EMRStepConfig.to_request: Jar first, then the optional members in this order.
  const jarStep: JsonObject = { Jar: ctx.expr(config.jar, configAt('jar')) };
  if (config.args !== undefined) jarStep.Args = config.args.map((arg, i) => ctx.expr(arg, childPointer(configAt('args'), i)));
  if (config.mainClass !== undefined) jarStep.MainClass = ctx.expr(config.mainClass, configAt('mainClass'));
  if (config.properties !== undefined) {
    // A mapping reads better in YAML; EMR takes an ordered Key/Value list, built in mapping order.
    jarStep.Properties = Object.entries(config.properties).map(([key, value]) => ({
      Key: key,
      Value: ctx.expr(value, childPointer(configAt('properties'), key)),
    }));
  }
  const args: JsonObject = { StepConfig: { HadoopJarStep: jarStep } };

  const clusterConfig = step.clusterConfig as Record<string, unknown> | undefined;
  if (step.clusterId === undefined && clusterConfig === undefined) {
    ctx.error(pointer, `EMR step ${step.name} needs either clusterId or clusterConfig.`);
  } else if (step.clusterId !== undefined && clusterConfig !== undefined) {
    ctx.error(at('clusterConfig'), `EMR step ${step.name} cannot have both clusterId and clusterConfig.`, 'Use clusterId to run on an existing cluster, clusterConfig to have SageMaker create one.');
  }
  if (step.executionRoleArn !== undefined && step.clusterId === undefined) {
    ctx.error(at('executionRoleArn'), `EMR step ${step.name} cannot have executionRoleArn without clusterId.`, 'The runtime role is passed to AddJobFlowSteps on an existing cluster.');
  }

  if (step.clusterId !== undefined) {
    args.ClusterId = ctx.expr(step.clusterId, at('clusterId'));
    if (step.executionRoleArn !== undefined) args.ExecutionRoleArn = ctx.expr(step.executionRoleArn, at('executionRoleArn'));
  } else if (clusterConfig !== undefined) {
    validateClusterConfig(clusterConfig, step.name, ctx, at('clusterConfig'));
    // Pipeline variables may sit anywhere in the cluster config, as the SDK allows.
    args.ClusterConfig = ctx.expr(clusterConfig, at('clusterConfig'));
  }
  mergeRaw(args, step.raw, ctx, at('raw'));
  return [{ Name: step.name, Type: 'EMR', Arguments: args }];
}

/** The SDK's `_validate_cluster_config`: members SageMaker sets itself must not be given. */
function validateClusterConfig(config: Record<string, unknown>, stepName: string, ctx: EmitContext, pointer: Pointer): void {
  for (const key of ['Name', 'AutoTerminationPolicy', 'Steps']) {
    if (key in config) {
      ctx.error(childPointer(pointer, key), `In EMR step ${stepName}, clusterConfig must not contain ${key}: SageMaker sets it.`, 'Remove it; SageMaker names the cluster, adds the step and terminates the cluster when the step ends.');
    }
  }
  const instances = config.Instances;
  if (instances === null || typeof instances !== 'object' || Array.isArray(instances)) {
    ctx.error(pointer, `In EMR step ${stepName}, clusterConfig must contain Instances.`);
    return;
  }
  const instancesAt = childPointer(pointer, 'Instances');
  for (const key of ['KeepJobFlowAliveWhenNoSteps', 'TerminationProtected']) {
    if (key in instances) {
      ctx.error(childPointer(instancesAt, key), `In EMR step ${stepName}, Instances must not contain ${key}: the cluster lives only as long as the step.`);
    }
  }
  if (('InstanceGroups' in instances) === ('InstanceFleets' in instances)) {
    ctx.error(instancesAt, `In EMR step ${stepName}, Instances must contain either InstanceGroups or InstanceFleets.`);
  }
}
