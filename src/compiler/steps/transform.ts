/**
 * The `transform` step: a TransformJob (the SDK's TransformStep over `Transformer.transform()`),
 * with the request built in the order and with the omissions of `Session._get_transform_request`.
 */
import { childPointer } from '../../spec/source-map.js';
import type { TransformStep } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue, Pointer, StepDefinition, StepEmitter } from '../types.js';
import { mergeRaw, setExpr, stringMap } from './common.js';

export const transformEmitter: StepEmitter<TransformStep> = {
  type: 'transform',
  definitionType: 'Transform',
  propertiesShape: 'DescribeTransformJobResponse',
  emit: emitTransform,
};

/** Builds the Transform step for one spec step. */
export function emitTransform(step: TransformStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  const t = step.transformer;
  const input = step.input;
  const tp = (key: string): Pointer => childPointer(childPointer(pointer, 'transformer'), key);
  const ip = (key: string): Pointer => childPointer(childPointer(pointer, 'input'), key);

  // Transformer.transform refuses a literal that is not an S3 URI; local data is not uploaded.
  if (typeof input.data === 'string' && !input.data.startsWith('s3://')) {
    ctx.error(ip('data'), `Transform input data must be an s3:// URI or an expression; got ${input.data}.`, 'Upload the data first, or reference the output of an earlier step.', 'transform-data');
  }
  // TransformJobName is left out, as the SDK trims it: SageMaker names the job per execution.
  const args: JsonObject = { ModelName: ctx.expr(t.modelName, tp('modelName')) };

  const transformInput: JsonObject = {
    DataSource: { S3DataSource: { S3DataType: input.dataType ?? 'S3Prefix', S3Uri: ctx.expr(input.data, ip('data')) } },
  };
  setExpr(transformInput, 'ContentType', input.contentType, ctx, ip('contentType'));
  setExpr(transformInput, 'CompressionType', input.compressionType, ctx, ip('compressionType'));
  setExpr(transformInput, 'SplitType', input.splitType, ctx, ip('splitType'));
  args.TransformInput = transformInput;

  const output: JsonObject = {
    S3OutputPath: t.outputPath === undefined ? defaultOutputPath(step.name, ctx) : ctx.expr(t.outputPath, tp('outputPath')),
  };
  setExpr(output, 'KmsKeyId', t.outputKmsKey, ctx, tp('outputKmsKey'));
  setExpr(output, 'AssembleWith', t.assembleWith, ctx, tp('assembleWith'));
  setExpr(output, 'Accept', t.accept, ctx, tp('accept'));
  args.TransformOutput = output;

  const resources: JsonObject = {
    InstanceCount: t.instanceCount === undefined ? 1 : ctx.expr(t.instanceCount, tp('instanceCount')),
    InstanceType: ctx.expr(t.instanceType, tp('instanceType')),
  };
  setExpr(resources, 'VolumeKmsKeyId', t.volumeKmsKey, ctx, tp('volumeKmsKey'));
  args.TransformResources = resources;

  setExpr(args, 'BatchStrategy', t.strategy, ctx, tp('strategy'));
  setExpr(args, 'MaxConcurrentTransforms', t.maxConcurrentTransforms, ctx, tp('maxConcurrentTransforms'));
  setExpr(args, 'MaxPayloadInMB', t.maxPayloadInMB, ctx, tp('maxPayloadInMB'));
  const env = stringMap(t.env, ctx, tp('env'));
  if (env) args.Environment = env;

  // DataProcessing appears only when one of its members is set (_prepare_data_processing).
  const dataProcessing: JsonObject = {};
  setExpr(dataProcessing, 'InputFilter', input.inputFilter, ctx, ip('inputFilter'));
  setExpr(dataProcessing, 'OutputFilter', input.outputFilter, ctx, ip('outputFilter'));
  setExpr(dataProcessing, 'JoinSource', input.joinSource, ctx, ip('joinSource'));
  if (Object.keys(dataProcessing).length) args.DataProcessing = dataProcessing;

  mergeRaw(args, step.raw, ctx, childPointer(pointer, 'raw'));
  return [{ Name: step.name, Type: 'Transform', Arguments: args }];
}

/**
 * The SDK's default output path under a PipelineSession:
 * Join('/', ['s3:/', bucket, (prefix), pipeline name, execution id, step name]).
 */
function defaultOutputPath(stepName: string, ctx: EmitContext): JsonValue {
  const values: JsonValue[] = ['s3:/', ctx.bucket];
  if (ctx.bucketPrefix) values.push(ctx.bucketPrefix);
  values.push(ctx.pipelineName, { Get: 'Execution.PipelineExecutionId' }, stepName);
  return { 'Std:Join': { On: '/', Values: values } };
}
