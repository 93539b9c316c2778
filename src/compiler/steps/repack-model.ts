/**
 * The runtime repack step of a model with inference code: a Training step named
 * `<step>-RepackModel-0` that unpacks the model archive, adds the code under `code/` and lets
 * SageMaker upload the result as the job's model artifacts — the shape of the SDK's
 * `_RepackModelStep` (scikit-learn 1.2-1 image, ml.m5.large, `training` channel = model archive).
 *
 * Deliberate differences: the repack program is the kit's own script (shipped as a content-hashed
 * generated asset) and the inference code arrives as a second channel `code` (the content-hashed
 * sourceDir asset) instead of being baked into the submit directory, so both keys change exactly
 * when their bytes do; the output path has no timestamp.
 */
import { posix } from 'node:path';
import { resolveImage } from '../images.js';
import { gzipStored } from '../gzip.js';
import { tar } from '../tar.js';
import { childPointer } from '../../spec/source-map.js';
import type { Model } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue, Pointer, StepDefinition } from '../types.js';
import { REPACK_SCRIPT, REPACK_SCRIPT_NAME } from './repack-script.js';

/** The SDK's repack defaults (`_utils.py`: FRAMEWORK_VERSION, INSTANCE_TYPE). */
const REPACK_FRAMEWORK_VERSION = '1.2-1';
const REPACK_INSTANCE_TYPE = 'ml.m5.large';
const REPACK_DESCRIPTION = 'Used to repack a model with customer scripts for a register/create model step';

/** Name of the repack step of a model step collection (`_REPACK_MODEL_NAME_BASE`, model index 0). */
export function repackStepName(specName: string): string {
  return `${specName}-RepackModel-0`;
}

/** The repacked archive, as the create/register step reads it. */
export function repackedModelData(specName: string): JsonValue {
  return { Get: `Steps.${repackStepName(specName)}.ModelArtifacts.S3ModelArtifacts` };
}

/** Builds the repack Training step; `vpcConfig` is the model's, reused for the job as the SDK does. */
export function emitRepack(
  specName: string,
  model: Model,
  ctx: EmitContext,
  pointer: Pointer,
  settings: { role: JsonValue; vpcConfig: JsonObject | undefined },
): StepDefinition {
  const at = (key: string): Pointer => childPointer(pointer, key);
  const name = repackStepName(specName);
  const image = resolveImage({
    framework: 'sklearn',
    version: REPACK_FRAMEWORK_VERSION,
    region: ctx.region,
    scope: 'training',
    instanceType: REPACK_INSTANCE_TYPE,
  });
  if ('error' in image) ctx.error(at('entryPoint'), `No scikit-learn ${REPACK_FRAMEWORK_VERSION} image to repack the model with in ${ctx.region}: ${image.error}`, image.hint, 'image');

  const codePrefix = `${ctx.pipelineName}/code`;
  const program = ctx.generatedAsset('sourcedir.tar.gz', gzipStored(tar([{ path: REPACK_SCRIPT_NAME, body: new TextEncoder().encode(REPACK_SCRIPT) }])), { prefix: codePrefix });
  const code = model.sourceDir === undefined ? undefined : ctx.asset(model.sourceDir, at('sourceDir'), { kind: 'directory', prefix: codePrefix });
  const modelData = model.modelData === undefined ? null : ctx.expr(model.modelData, at('modelData'));
  if (model.modelData === undefined) ctx.error(pointer, 'A model with inference code (entryPoint and sourceDir) needs `modelData` to repack.', undefined, 'model-code');

  const outputPath = ['s3:/', ctx.bucket, ...(ctx.bucketPrefix ? [ctx.bucketPrefix] : []), ctx.pipelineName, name].join('/');
  const args: JsonObject = {
    AlgorithmSpecification: { TrainingInputMode: 'File', TrainingImage: 'uri' in image ? image.uri : null },
    OutputDataConfig: { S3OutputPath: outputPath },
    StoppingCondition: { MaxRuntimeInSeconds: 86400 },
    ResourceConfig: { VolumeSizeInGB: 30, InstanceCount: 1, InstanceType: REPACK_INSTANCE_TYPE },
    RoleArn: settings.role,
    InputDataConfig: [channel('training', modelData), channel('code', code ?? null)],
    // Framework hyperparameters are JSON-encoded strings, as the SDK's estimators write them.
    HyperParameters: {
      inference_script: JSON.stringify(posix.basename(model.entryPoint ?? '')),
      model_archive: modelData,
      sagemaker_submit_directory: JSON.stringify(program),
      sagemaker_program: JSON.stringify(REPACK_SCRIPT_NAME),
      sagemaker_container_log_level: '20',
      sagemaker_region: JSON.stringify(ctx.region),
    },
  };
  if (settings.vpcConfig) {
    // Estimators write VpcConfig as vpc_utils.to_dict does: Subnets first, then SecurityGroupIds.
    const { Subnets, SecurityGroupIds } = settings.vpcConfig;
    const vpc: JsonObject = {};
    if (Subnets !== undefined) vpc.Subnets = Subnets;
    if (SecurityGroupIds !== undefined) vpc.SecurityGroupIds = SecurityGroupIds;
    args.VpcConfig = vpc;
  }
  args.DebugHookConfig = { S3OutputPath: outputPath, CollectionConfigurations: [] };
  args.ProfilerConfig = { DisableProfiler: true };
  return { Name: name, Type: 'Training', Arguments: args, Description: REPACK_DESCRIPTION };
}

function channel(name: string, uri: JsonValue): JsonObject {
  return {
    DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri, S3DataDistributionType: 'FullyReplicated' } },
    ChannelName: name,
  };
}
