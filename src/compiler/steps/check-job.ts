/**
 * The processing job a check step runs (the SDK's CheckJobConfig → Processor → CreateProcessingJob
 * request). Quality and clarify checks share it: only the image, inputs, outputs and environment
 * differ between them.
 */
import { childPointer } from '../../spec/source-map.js';
import type { CheckJob } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue, Pointer } from '../types.js';
import { classifyLocation, processingNetworkConfig, stringMap } from './common.js';

/** What differs between the check types; the rest of the request comes from `job`. */
export interface CheckJobParts {
  imageUri: string;
  inputs: JsonObject[];
  outputs: JsonObject[];
  /** Undefined leaves `Environment` out, as the SDK does when a processor has no env. */
  environment: JsonObject | undefined;
}

/** CheckJobConfig defaults (sagemaker/workflow/check_job_config.py). */
export const CHECK_JOB_DEFAULTS = { instanceType: 'ml.m5.xlarge', instanceCount: 1, volumeSizeInGB: 30 } as const;

/**
 * The step's Arguments: the processing job request, in the key order of the SDK's
 * `Session._get_process_request`. There is no `ProcessingJobName`: the SDK drops it unless the
 * pipeline opts into custom job prefixes, which goes through `raw` in this kit.
 */
export function checkJobRequest(job: CheckJob | undefined, parts: CheckJobParts, ctx: EmitContext, pointer: Pointer): JsonObject {
  const at = (key: string): Pointer => childPointer(childPointer(pointer, 'job'), key);
  const clusterConfig: JsonObject = {
    InstanceType: ctx.expr(job?.instanceType ?? CHECK_JOB_DEFAULTS.instanceType, at('instanceType')),
    InstanceCount: ctx.expr(job?.instanceCount ?? CHECK_JOB_DEFAULTS.instanceCount, at('instanceCount')),
    VolumeSizeInGB: ctx.expr(job?.volumeSizeInGB ?? CHECK_JOB_DEFAULTS.volumeSizeInGB, at('volumeSizeInGB')),
  };
  if (job?.volumeKmsKey !== undefined) clusterConfig.VolumeKmsKeyId = ctx.expr(job.volumeKmsKey, at('volumeKmsKey'));

  const request: JsonObject = {
    ProcessingResources: { ClusterConfig: clusterConfig },
    AppSpecification: { ImageUri: parts.imageUri },
    RoleArn: job?.role !== undefined ? ctx.expr(job.role, at('role')) : ctx.roleArn,
  };
  if (parts.inputs.length) request.ProcessingInputs = parts.inputs;
  if (parts.outputs.length) {
    const outputConfig: JsonObject = { Outputs: parts.outputs };
    if (job?.outputKmsKey !== undefined) outputConfig.KmsKeyId = ctx.expr(job.outputKmsKey, at('outputKmsKey'));
    request.ProcessingOutputConfig = outputConfig;
  }
  if (parts.environment !== undefined) request.Environment = parts.environment;
  const network = processingNetworkConfig(job?.network, ctx, at('network'));
  if (network !== undefined) request.NetworkConfig = network;
  if (job?.maxRuntimeInSeconds !== undefined) {
    request.StoppingCondition = { MaxRuntimeInSeconds: ctx.expr(job.maxRuntimeInSeconds, at('maxRuntimeInSeconds')) };
  }
  if (job?.tags !== undefined) {
    request.Tags = Object.entries(job.tags).map(([Key, Value]) => ({ Key, Value: Value ?? '' }));
  }
  return request;
}

/** `job.env` converted value by value; undefined when the spec sets none. */
export function jobEnvironment(job: CheckJob | undefined, ctx: EmitContext, pointer: Pointer): JsonObject | undefined {
  return stringMap(job?.env, ctx, childPointer(childPointer(pointer, 'job'), 'env'));
}

/** A ProcessingInput with an S3 source, as `ProcessingInput._to_request_dict` lays it out. */
export function s3ProcessingInput(
  name: string,
  s3Uri: JsonValue,
  localPath: string,
  options: { distribution?: string; compression?: string } = {},
): JsonObject {
  return {
    InputName: name,
    AppManaged: false,
    S3Input: {
      S3Uri: s3Uri,
      LocalPath: localPath,
      S3DataType: 'S3Prefix',
      S3InputMode: 'File',
      S3DataDistributionType: options.distribution ?? 'FullyReplicated',
      S3CompressionType: options.compression ?? 'None',
    },
  };
}

/** A ProcessingOutput to S3, as `ProcessingOutput._to_request_dict` lays it out. */
export function s3ProcessingOutput(name: string, s3Uri: JsonValue, localPath: string, uploadMode = 'EndOfJob'): JsonObject {
  return { OutputName: name, AppManaged: false, S3Output: { S3Uri: s3Uri, LocalPath: localPath, S3UploadMode: uploadMode } };
}

/**
 * An input location: an s3:// URI as it is, a repository file as an uploaded asset (the SDK
 * uploads local paths too, under a timestamped job name; the asset key is content-hashed).
 */
export function inputLocation(value: string, asset: { prefix: string; fileName?: string }, ctx: EmitContext, pointer: Pointer): string {
  const kind = classifyLocation(value);
  if (kind === 's3') return value;
  if (kind === 'other-url') {
    ctx.error(pointer, `${value} is neither an s3:// URI nor a file in the repository.`);
    return value;
  }
  return ctx.asset(value, pointer, { kind: 'file', ...asset }) ?? '';
}

/** Asset prefix of a local input, mirroring the SDK's `<pipeline>/<step>/input/<input name>`. */
export function inputPrefix(ctx: EmitContext, stepName: string, inputName: string): string {
  return `${ctx.pipelineName}/${stepName}/input/${inputName}`;
}
