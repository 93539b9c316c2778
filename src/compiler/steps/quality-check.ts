/**
 * The `quality-check` step: a QualityCheck step running a Model Monitor baselining job (the SDK's
 * QualityCheckStep with a DataQualityCheckConfig or a ModelQualityCheckConfig).
 */
import { posix } from 'node:path';
import { canonicalJson } from '../canonical-json.js';
import { resolveImage } from '../images.js';
import { childPointer } from '../../spec/source-map.js';
import type { MonitorDatasetFormat, QualityCheckStep } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue, Pointer, StepDefinition, StepEmitter } from '../types.js';
import { checkFlags } from './check-flags.js';
import { mergeRaw } from './common.js';
import { checkJobRequest, inputLocation, inputPrefix, jobEnvironment, s3ProcessingInput, s3ProcessingOutput } from './check-job.js';

const INPUT_BASE = '/opt/ml/processing/input';
const OUTPUT_PATH = '/opt/ml/processing/output';
const BASELINE_DATASET_INPUT = 'baseline_dataset_input';
const POST_ANALYTICS_INPUT = 'post_analytics_processor_script_input';
const RECORD_PREPROCESSOR_INPUT = 'record_preprocessor_script_input';
const OUTPUT_NAME = 'quality_check_output';

/** Members that only a ModelQualityCheckConfig has. */
const MODEL_QUALITY_ONLY = [
  'problemType',
  'inferenceAttribute',
  'probabilityAttribute',
  'groundTruthAttribute',
  'probabilityThresholdAttribute',
] as const;

export const qualityCheckEmitter: StepEmitter<QualityCheckStep> = {
  type: 'quality-check',
  definitionType: 'QualityCheck',
  // The SDK builds the four baseline properties by hand; src/spec/property-shapes.generated.json lists them.
  propertiesShape: undefined,
  emit: emitQualityCheck,
};

/** Builds the QualityCheck step for one spec step. */
export function emitQualityCheck(step: QualityCheckStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  const at = (key: string): Pointer => childPointer(pointer, key);
  const modelQuality = step.checkType === 'model-quality';
  if (!modelQuality) {
    for (const key of MODEL_QUALITY_ONLY) {
      if (step[key] !== undefined) ctx.error(at(key), `${key} applies to model-quality checks only.`, 'Set `checkType: model-quality`, or remove it.');
    }
  } else if (step.recordPreprocessorScript !== undefined) {
    ctx.error(at('recordPreprocessorScript'), 'recordPreprocessorScript applies to data-quality checks only.', 'The SDK\'s ModelQualityCheckConfig has no record preprocessor.');
  }

  const image = resolveImage({ framework: 'model-monitor', version: '', region: ctx.region, scope: 'monitoring' });
  if ('error' in image) ctx.error(pointer, `No Model Monitor analyzer image for region ${ctx.region}: ${image.error}`, image.hint);

  // Inputs in the SDK's order: dataset, post-analytics script, record preprocessor script.
  const inputs: JsonObject[] = [];
  const datasetPath = `${INPUT_BASE}/${BASELINE_DATASET_INPUT}`;
  inputs.push(s3ProcessingInput(BASELINE_DATASET_INPUT, datasetSource(step.baselineDataset, BASELINE_DATASET_INPUT, ctx, at('baselineDataset'), step.name), datasetPath));
  const postAnalytics = scriptInput(step.postAnalyticsProcessorScript, POST_ANALYTICS_INPUT, ctx, at('postAnalyticsProcessorScript'), step.name);
  if (postAnalytics) inputs.push(postAnalytics.input);
  const preprocessor = modelQuality
    ? undefined
    : scriptInput(step.recordPreprocessorScript, RECORD_PREPROCESSOR_INPUT, ctx, at('recordPreprocessorScript'), step.name);
  if (preprocessor) inputs.push(preprocessor.input);

  const outputUri = step.output !== undefined ? ctx.expr(step.output, at('output')) : defaultOutput(step.name, ctx, pointer);

  // Environment in the order of ModelMonitor._generate_env_map; the user's env comes first and
  // generated keys overwrite same-named ones in place, as Python dict assignment does.
  const env: JsonObject = { ...(jobEnvironment(step.job, ctx, pointer) ?? {}) };
  env.output_path = OUTPUT_PATH;
  // Baselining jobs never publish CloudWatch metrics; only monitoring schedules do.
  env.publish_cloudwatch_metrics = 'Disabled';
  env.dataset_format = canonicalJson(datasetFormat(step.datasetFormat));
  if (preprocessor) env.record_preprocessor_script = preprocessor.containerPath;
  if (postAnalytics) env.post_analytics_processor_script = postAnalytics.containerPath;
  env.dataset_source = datasetPath;
  if (modelQuality) {
    env.analysis_type = 'MODEL_QUALITY';
    if (step.problemType !== undefined) env.problem_type = ctx.expr(step.problemType, at('problemType'));
    const attributes = [
      ['inference_attribute', 'inferenceAttribute'],
      ['probability_attribute', 'probabilityAttribute'],
      ['ground_truth_attribute', 'groundTruthAttribute'],
      ['probability_threshold_attribute', 'probabilityThresholdAttribute'],
    ] as const;
    for (const [envName, key] of attributes) {
      const value = step[key];
      if (value !== undefined) env[envName] = attributeValue(value, ctx, at(key));
    }
  }

  const args = checkJobRequest(
    step.job,
    {
      imageUri: 'uri' in image ? image.uri : '',
      inputs,
      outputs: [s3ProcessingOutput(OUTPUT_NAME, outputUri, OUTPUT_PATH)],
      environment: env,
    },
    ctx,
    pointer,
  );
  mergeRaw(args, step.raw, ctx, at('raw'));
  return [
    {
      Name: step.name,
      Type: 'QualityCheck',
      Arguments: args,
      CheckType: modelQuality ? 'MODEL_QUALITY' : 'DATA_QUALITY',
      ...checkFlags(step, ctx, pointer, true),
    },
  ];
}

/** The SDK's DatasetFormat dict (csv always carries both members, as `DatasetFormat.csv` does). */
export function datasetFormat(format: MonitorDatasetFormat): JsonObject {
  if ('csv' in format) {
    return { csv: { header: format.csv.header ?? true, output_columns_position: format.csv.outputColumnsPosition ?? 'START' } };
  }
  if ('json' in format) return { json: { lines: format.json.lines ?? true } };
  if ('sagemakerCaptureJson' in format) return { sagemakerCaptureJson: {} };
  return { parquet: {} };
}

/**
 * Default S3 destination of the results. The SDK writes
 * `s3://<bucket>/model-monitor/baselining/<job name with timestamp>/results`, which changes on
 * every compile; this is the per-execution path the SDK gives processing outputs in pipelines.
 */
function defaultOutput(stepName: string, ctx: EmitContext, pointer: Pointer): JsonValue {
  const values: unknown[] = ['s3:/', ctx.bucket];
  if (ctx.bucketPrefix) values.push(ctx.bucketPrefix);
  values.push(ctx.pipelineName, { get: 'Execution.PipelineExecutionId' }, stepName, 'output', OUTPUT_NAME);
  return ctx.expr({ join: { on: '/', values } }, pointer);
}

/** The dataset's S3 URI: expressions and s3:// URIs as they are, local files as assets. */
function datasetSource(value: unknown, inputName: string, ctx: EmitContext, pointer: Pointer, stepName: string): JsonValue {
  if (typeof value !== 'string') return ctx.expr(value, pointer);
  return inputLocation(value, { prefix: inputPrefix(ctx, stepName, inputName) }, ctx, pointer);
}

/** A script input and the path the analyzer finds the script at, or undefined when unset. */
function scriptInput(
  script: string | undefined,
  inputName: string,
  ctx: EmitContext,
  pointer: Pointer,
  stepName: string,
): { input: JsonObject; containerPath: string } | undefined {
  if (script === undefined) return undefined;
  const fileName = posix.basename(script);
  const s3Uri = inputLocation(script, { prefix: inputPrefix(ctx, stepName, inputName), fileName }, ctx, pointer);
  const localPath = `${INPUT_BASE}/${inputName}`;
  // The input downloads the object into LocalPath under its own name, so the script sits there.
  return { input: s3ProcessingInput(inputName, s3Uri, localPath), containerPath: `${localPath}/${fileName}` };
}

/** Like the SDK's `_format_env_variable_value`: literals become strings, expressions stay. */
function attributeValue(value: unknown, ctx: EmitContext, pointer: Pointer): JsonValue {
  if (typeof value === 'number') return pythonNumberText(value);
  return ctx.expr(value, pointer);
}

/**
 * Python's `str()` of a number: same shortest digits as JavaScript, but exponent notation below
 * 1e-4 and from 1e16, with a sign and at least two exponent digits (`1e-05`). YAML `1.0` arrives
 * as the integer 1 and prints as `1`, where Python would print `1.0`.
 */
export function pythonNumberText(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) return String(value);
  const digits = String(Math.abs(exponent)).padStart(2, '0');
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
}
