/**
 * The `clarify-check` step: a ClarifyCheck step running a SageMaker Clarify job (the SDK's
 * ClarifyCheckStep with a DataBiasCheckConfig, ModelBiasCheckConfig or
 * ModelExplainabilityCheckConfig). The analysis configuration is generated here and shipped as a
 * content-hashed asset, the `analysis_config` input of the job.
 */
import { canonicalJson } from '../canonical-json.js';
import { resolveImage } from '../images.js';
import { childPointer } from '../../spec/source-map.js';
import type { ClarifyCheckStep } from '../../spec/types.generated.js';
import type { EmitContext, JsonValue, Pointer, StepDefinition, StepEmitter } from '../types.js';
import { classifyLocation, mergeRaw } from './common.js';
import { analysisConfig } from './clarify-analysis-config.js';
import { checkFlags } from './check-flags.js';
import { checkJobRequest, inputLocation, inputPrefix, jobEnvironment, s3ProcessingInput, s3ProcessingOutput } from './check-job.js';

const CONFIG_INPUT_PATH = '/opt/ml/processing/input/config';
const DATA_INPUT_PATH = '/opt/ml/processing/input/data';
const OUTPUT_PATH = '/opt/ml/processing/output';
/** The one Clarify processing image version the SDK knows. */
const CLARIFY_VERSION = '1.0';

const CHECK_TYPES = {
  'data-bias': 'DATA_BIAS',
  'model-bias': 'MODEL_BIAS',
  'model-explainability': 'MODEL_EXPLAINABILITY',
} as const;

/** Members each check type's SDK config class does not have. */
const NOT_APPLICABLE: Record<ClarifyCheckStep['checkType'], readonly (keyof ClarifyCheckStep)[]> = {
  'data-bias': ['modelConfig', 'predictedLabelConfig', 'modelScores', 'shapConfig', 'pdpConfig'],
  'model-bias': ['modelScores', 'shapConfig', 'pdpConfig'],
  'model-explainability': ['biasConfig', 'predictedLabelConfig', 'methods'],
};

export const clarifyCheckEmitter: StepEmitter<ClarifyCheckStep> = {
  type: 'clarify-check',
  definitionType: 'ClarifyCheck',
  // The SDK builds the two baseline properties by hand; src/spec/property-shapes.generated.json lists them.
  propertiesShape: undefined,
  emit: emitClarifyCheck,
};

/** Builds the ClarifyCheck step for one spec step. */
export function emitClarifyCheck(step: ClarifyCheckStep, ctx: EmitContext, pointer: Pointer): StepDefinition[] {
  const at = (key: string): Pointer => childPointer(pointer, key);
  validate(step, ctx, pointer);

  const image = resolveImage({ framework: 'clarify', version: CLARIFY_VERSION, region: ctx.region, scope: 'processing' });
  if ('error' in image) ctx.error(pointer, `No SageMaker Clarify image for region ${ctx.region}: ${image.error}`, image.hint);

  const config = analysisConfig(step);
  const configUri = ctx.generatedAsset('analysis_config.json', new TextEncoder().encode(canonicalJson(config)), {
    prefix: `${ctx.pipelineName}/${step.name}/input/analysis_config`,
  });
  const data = step.dataConfig;
  const dataPointer = at('dataConfig');
  const inputs = [
    s3ProcessingInput('analysis_config', configUri, CONFIG_INPUT_PATH),
    s3ProcessingInput('dataset', datasetSource(data.s3DataInputPath, ctx, childPointer(dataPointer, 's3DataInputPath'), step.name), DATA_INPUT_PATH, {
      compression: data.s3CompressionType ?? 'None',
    }),
  ];
  // ProcessingOutputHandler: image datasets stream their results out while the job runs.
  const uploadMode = data.datasetType === 'application/x-image' ? 'Continuous' : 'EndOfJob';
  const outputs = [
    s3ProcessingOutput('analysis_result', outputDestination(data.s3OutputPath, ctx, childPointer(dataPointer, 's3OutputPath')), OUTPUT_PATH, uploadMode),
  ];

  const args = checkJobRequest(
    step.job,
    { imageUri: 'uri' in image ? image.uri : '', inputs, outputs, environment: jobEnvironment(step.job, ctx, pointer) },
    ctx,
    pointer,
  );
  mergeRaw(args, step.raw, ctx, at('raw'));
  const definition: StepDefinition = {
    Name: step.name,
    Type: 'ClarifyCheck',
    Arguments: args,
    CheckType: CHECK_TYPES[step.checkType],
    ...checkFlags(step, ctx, pointer, false),
  };
  if (step.checkType !== 'data-bias' && step.modelConfig !== undefined) {
    definition.ModelName = ctx.expr(step.modelConfig.modelName, childPointer(at('modelConfig'), 'modelName'));
  }
  return [definition];
}

/** The checks the SDK's config classes make in their constructors, as diagnostics. */
function validate(step: ClarifyCheckStep, ctx: EmitContext, pointer: Pointer): void {
  const at = (key: string): Pointer => childPointer(pointer, key);
  for (const key of NOT_APPLICABLE[step.checkType]) {
    if (step[key] !== undefined) ctx.error(at(key), `${key} does not apply to ${step.checkType} checks.`);
  }
  if (step.checkType === 'model-explainability' && (step.shapConfig === undefined) === (step.pdpConfig === undefined)) {
    ctx.error(pointer, 'A model-explainability check needs exactly one of shapConfig and pdpConfig.');
  }

  const data = step.dataConfig;
  const dataAt = (key: string): Pointer => childPointer(at('dataConfig'), key);
  const datasetType = data.datasetType ?? 'text/csv';
  if (datasetType === 'application/json' && data.features === undefined) {
    ctx.error(at('dataConfig'), 'features (a JMESPath) is required for application/json datasets.');
  }
  if (datasetType !== 'text/csv') {
    for (const key of ['facetDatasetUri', 'facetHeaders', 'predictedLabelDatasetUri', 'predictedLabelHeaders'] as const) {
      if (data[key] !== undefined) ctx.error(dataAt(key), `${key} is supported for text/csv datasets only.`);
    }
  }
  if (datasetType === 'application/x-image') {
    for (const key of ['predictedLabel', 'excludedColumns'] as const) {
      if (data[key] !== undefined) ctx.error(dataAt(key), `${key} is not supported for application/x-image datasets.`);
    }
  }

  const bias = step.biasConfig;
  if (bias !== undefined && Array.isArray(bias.facetName) && bias.facetValuesOrThreshold !== undefined
    && bias.facetValuesOrThreshold.length !== bias.facetName.length) {
    ctx.error(childPointer(at('biasConfig'), 'facetValuesOrThreshold'), 'The number of facet names doesn\'t match the number of facet values.');
  }

  const model = step.modelConfig;
  const modelAt = (key: string): Pointer => childPointer(at('modelConfig'), key);
  if (model?.contentType === 'application/jsonlines' && !model.contentTemplate?.includes('$features')) {
    ctx.error(modelAt('contentTemplate'), 'contentType application/jsonlines needs a contentTemplate with the placeholder $features.');
  }
  if (model?.contentType === 'application/json') {
    if (model.contentTemplate === undefined || model.recordTemplate === undefined) {
      ctx.error(at('modelConfig'), 'contentType application/json needs both contentTemplate and recordTemplate.');
    } else if (!model.contentTemplate.includes('$record')) {
      ctx.error(modelAt('contentTemplate'), 'contentTemplate needs the placeholder $records or $record.');
    }
  }

  if (step.shapConfig?.baseline !== undefined && step.shapConfig.numClusters !== undefined) {
    ctx.error(childPointer(at('shapConfig'), 'numClusters'), 'Baseline and numClusters cannot be provided together.', 'Specify one of the two.');
  }
}

/** The dataset: an expression or s3:// URI as it is, a repository file as an asset (as the SDK uploads it). */
function datasetSource(value: unknown, ctx: EmitContext, pointer: Pointer, stepName: string): JsonValue {
  if (typeof value !== 'string') return ctx.expr(value, pointer);
  return inputLocation(value, { prefix: inputPrefix(ctx, stepName, 'dataset') }, ctx, pointer);
}

/** The results destination: an S3 prefix the job writes to, never a local path. */
function outputDestination(value: unknown, ctx: EmitContext, pointer: Pointer): JsonValue {
  if (typeof value === 'string' && classifyLocation(value) !== 's3') {
    ctx.error(pointer, `${value} is not an s3:// URI.`, 'Clarify writes its analysis results to S3.');
  }
  return ctx.expr(value, pointer);
}
