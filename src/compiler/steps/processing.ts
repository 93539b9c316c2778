/**
 * The `processing` step → a SageMaker Processing step, as the SDK's ProcessingStep emits it for a
 * ScriptProcessor (`code` + `command`) or a plain Processor (`entrypoint`): the CreateProcessingJob
 * request of `Session._get_process_request` without ProcessingJobName and ExperimentConfig.
 */
import { childPointer } from '../../spec/source-map.js';
import type { ProcessingInput, ProcessingOutput, ProcessingStep } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue, StepDefinition, StepEmitter } from '../types.js';
import { classifyLocation, mergeRaw, processingNetworkConfig, setExpr, stringMap } from './common.js';

/** Where ScriptProcessor mounts the code input (`_CODE_CONTAINER_BASE_PATH` + `_CODE_CONTAINER_INPUT_NAME`). */
export const CODE_INPUT_DESTINATION = '/opt/ml/processing/input/code';

export const processingEmitter: StepEmitter<ProcessingStep> = {
  type: 'processing',
  definitionType: 'Processing',
  propertiesShape: 'DescribeProcessingJobResponse',
  emit(step, ctx, pointer): StepDefinition[] {
    const name = String(step.name);
    const processorPointer = childPointer(pointer, 'processor');
    const processor = step.processor;

    const clusterConfig: JsonObject = {
      InstanceType: ctx.expr(processor.instanceType, childPointer(processorPointer, 'instanceType')),
      InstanceCount: ctx.expr(processor.instanceCount ?? 1, childPointer(processorPointer, 'instanceCount')),
      VolumeSizeInGB: ctx.expr(processor.volumeSizeInGB ?? 30, childPointer(processorPointer, 'volumeSizeInGB')),
    };
    setExpr(clusterConfig, 'VolumeKmsKeyId', processor.volumeKmsKey, ctx, childPointer(processorPointer, 'volumeKmsKey'));

    const inputs = (step.inputs ?? []).flatMap((input, i) =>
      processingInput(input, i, name, ctx, childPointer(childPointer(pointer, 'inputs'), i)) ?? [],
    );

    const appSpecification: JsonObject = {
      ImageUri: ctx.image(processor.image, childPointer(processorPointer, 'image'), {
        instanceType: processor.instanceType,
        scope: 'training',
      }) ?? null,
    };
    if (step.arguments !== undefined) {
      appSpecification.ContainerArguments = ctx.expr(step.arguments, childPointer(pointer, 'arguments'));
    }
    if (step.code !== undefined) {
      if (processor.entrypoint !== undefined) {
        ctx.error(childPointer(processorPointer, 'entrypoint'), 'A processing step with `code` runs it with `command`; `entrypoint` is for steps without code.', 'Remove `entrypoint`, or remove `code` and call your script from the entrypoint.');
      }
      const codePointer = childPointer(pointer, 'code');
      const code = codeLocation(step.code, ctx, codePointer);
      if (code) {
        inputs.push(s3Input('code', code.uri, CODE_INPUT_DESTINATION, {}));
        // ScriptProcessor._set_entrypoint: command + the script's path inside the code input.
        appSpecification.ContainerEntrypoint = [...(processor.command ?? ['python3']), `${CODE_INPUT_DESTINATION}/${code.fileName}`];
      }
    } else if (processor.entrypoint !== undefined) {
      appSpecification.ContainerEntrypoint = ctx.expr(processor.entrypoint, childPointer(processorPointer, 'entrypoint'));
    }

    const args: JsonObject = {
      ProcessingResources: { ClusterConfig: clusterConfig },
      AppSpecification: appSpecification,
      RoleArn: processor.role === undefined ? ctx.roleArn : ctx.expr(processor.role, childPointer(processorPointer, 'role')),
    };
    if (inputs.length) args.ProcessingInputs = inputs;
    const outputs = (step.outputs ?? []).map((output, i) =>
      processingOutput(output, name, ctx, childPointer(childPointer(pointer, 'outputs'), i)),
    );
    // Session._get_process_request drops an output config without outputs (and its KMS key with it).
    if (outputs.length) {
      const outputConfig: JsonObject = { Outputs: outputs };
      setExpr(outputConfig, 'KmsKeyId', processor.outputKmsKey, ctx, childPointer(processorPointer, 'outputKmsKey'));
      args.ProcessingOutputConfig = outputConfig;
    }
    const environment = stringMap(processor.env, ctx, childPointer(processorPointer, 'env'));
    if (environment) args.Environment = environment;
    const network = processingNetworkConfig(processor.network, ctx, childPointer(processorPointer, 'network'));
    if (network) args.NetworkConfig = network;
    if (processor.maxRuntimeInSeconds !== undefined) {
      args.StoppingCondition = { MaxRuntimeInSeconds: ctx.expr(processor.maxRuntimeInSeconds, childPointer(processorPointer, 'maxRuntimeInSeconds')) };
    }
    mergeRaw(args, step.raw, ctx, childPointer(pointer, 'raw'));

    const definition: StepDefinition = { Name: name, Type: 'Processing', Arguments: args };
    const propertyFiles = (step.propertyFiles ?? []).map((file, i) => {
      const outputNames = (step.outputs ?? []).map((o) => o.name);
      if (!outputNames.includes(file.output)) {
        ctx.error(childPointer(childPointer(childPointer(pointer, 'propertyFiles'), i), 'output'), `Property file ${file.name} names output ${file.output}, which step ${name} does not declare.`, outputNames.length ? `Its outputs: ${outputNames.join(', ')}.` : 'Declare the output under `outputs:`.');
      }
      return { PropertyFileName: file.name, OutputName: file.output, FilePath: file.path };
    });
    if (propertyFiles.length) definition.PropertyFiles = propertyFiles;
    return [definition];
  },
};

/** The code's S3 URI and file name: an s3:// URI as given, or a local file staged as an asset. */
function codeLocation(code: string, ctx: EmitContext, pointer: string): { uri: string; fileName: string } | undefined {
  const location = classifyLocation(code);
  const fileName = code.slice(code.lastIndexOf('/') + 1);
  if (location === 's3') return { uri: code, fileName };
  if (location === 'other-url') {
    ctx.error(pointer, `code ${code}: only s3:// URIs and local paths are supported.`);
    return undefined;
  }
  // SDK layout: <bucket>/<prefix>/<pipeline>/code/<hash>/<file> (ProcessingStep's _upload_code).
  const uri = ctx.asset(code, pointer, { kind: 'file', prefix: `${ctx.pipelineName}/code` });
  return uri === undefined ? undefined : { uri, fileName };
}

function processingInput(
  input: ProcessingInput,
  index: number,
  stepName: string,
  ctx: EmitContext,
  pointer: string,
): JsonObject | undefined {
  // ProcessingInput names default to input-<n>, counted from 1 (Processor._normalize_inputs).
  const inputName = input.name ?? `input-${index + 1}`;
  const sourcePointer = childPointer(pointer, 'source');
  let uri: JsonValue | undefined;
  if (typeof input.source === 'string' && classifyLocation(input.source) === 'local') {
    // The SDK uploads local inputs to <pipeline>/<step>/input/<name>; we add the content hash.
    uri = ctx.asset(input.source, sourcePointer, { kind: 'file', prefix: `${ctx.pipelineName}/${stepName}/input/${inputName}` });
    if (uri === undefined) return undefined;
  } else {
    uri = ctx.expr(input.source, sourcePointer);
  }
  if (input.s3CompressionType === 'Gzip' && input.s3InputMode !== 'Pipe') {
    ctx.error(childPointer(pointer, 's3CompressionType'), 'Gzip-compressed input needs `s3InputMode: Pipe`.', 'SageMaker only decompresses inputs streamed in Pipe mode.');
  }
  return s3Input(inputName, uri, input.destination, input);
}

function s3Input(name: string, uri: JsonValue, destination: string, input: Partial<ProcessingInput>): JsonObject {
  return {
    InputName: name,
    AppManaged: false,
    S3Input: {
      S3Uri: uri,
      LocalPath: destination,
      S3DataType: input.s3DataType ?? 'S3Prefix',
      S3InputMode: input.s3InputMode ?? 'File',
      S3DataDistributionType: input.s3DataDistributionType ?? 'FullyReplicated',
      S3CompressionType: input.s3CompressionType ?? 'None',
    },
  };
}

function processingOutput(output: ProcessingOutput, stepName: string, ctx: EmitContext, pointer: string): JsonObject {
  let uri: JsonValue;
  if (output.destination === undefined) {
    // Processor._normalize_outputs inside a pipeline: s3://<bucket>/<prefix?>/<pipeline>/<execution id>/<step>/output/<name>.
    uri = {
      'Std:Join': {
        On: '/',
        Values: [
          's3:/',
          ctx.bucket,
          ...(ctx.bucketPrefix ? [ctx.bucketPrefix] : []),
          ctx.pipelineName,
          { Get: 'Execution.PipelineExecutionId' },
          stepName,
          'output',
          output.name,
        ],
      },
    };
  } else {
    if (typeof output.destination === 'string' && classifyLocation(output.destination) !== 's3') {
      ctx.error(childPointer(pointer, 'destination'), `Output destination ${output.destination} is not an s3:// URI.`, 'Leave `destination` out to get the SDK default location.');
    }
    uri = ctx.expr(output.destination, childPointer(pointer, 'destination'));
  }
  return {
    OutputName: output.name,
    AppManaged: false,
    S3Output: { S3Uri: uri, LocalPath: output.source, S3UploadMode: output.s3UploadMode ?? 'EndOfJob' },
  };
}
