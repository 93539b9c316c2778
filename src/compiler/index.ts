/**
 * The compiler: spec → SageMaker pipeline definition + asset plan, in named phases
 * (normalize → build → emit → limits). Pure: it reads only its input (the spec, the source map,
 * the repository through `files`, the options) and never mutates it.
 */
import { sortDiagnostics, hasErrors } from '../spec/diagnostics.js';
import { propertyShapeForStepType, validatePropertyPath } from '../spec/properties.js';
import type { SourceMap } from '../spec/source-map.js';
import type { PipelineSpec } from '../spec/types.generated.js';
import { createAssetRegistry } from './assets.js';
import { build } from './build.js';
import { canonicalJson, type JsonPath } from './canonical-json.js';
import { assembleDefinition, DEFAULT_EXPERIMENT_CONFIG } from './definition.js';
import { createExpressionConverter, type PropertyPathCheck } from './expressions.js';
import { checkStepArguments, INLINE_DEFINITION_LIMIT, jsonPathMember } from './limits.js';
import { normalize, type NormalizedPipeline } from './normalize.js';
import { createReporter, type Reporter } from './reporter.js';
import { emitters as defaultEmitters } from './steps/index.js';
import type { CompileOptions, CompileResult, JsonObject, JsonValue, SourceFiles, StepEmitter } from './types.js';

export interface CompileInput {
  spec: PipelineSpec;
  sourceMap: SourceMap;
  /** Repository-relative POSIX path of the spec file (code paths are relative to it). */
  specPath: string;
  files: SourceFiles;
}

/** Seams for tests and for the property-path table; production callers pass nothing. */
export interface CompileHooks {
  emitters?: ReadonlyMap<string, StepEmitter<Record<string, unknown>>>;
  checkPropertyPath?: PropertyPathCheck;
}

/** Compiles one loaded spec. Errors come back as diagnostics, never as exceptions. */
export function compile(input: CompileInput, options: CompileOptions, hooks: CompileHooks = {}): CompileResult {
  const reporter = createReporter(input.sourceMap);
  const emitters = hooks.emitters ?? defaultEmitters;
  const pipeline = normalize(input.spec, options, emitters, reporter);
  if (!pipeline) return failed(reporter);

  const assets = createAssetRegistry({
    files: input.files,
    specPath: input.specPath,
    bucket: pipeline.bucket,
    bucketPrefix: pipeline.bucketPrefix,
    reporter,
  });
  const checkPropertyPath = hooks.checkPropertyPath ?? propertyPathCheck(emitters);
  const expr = createExpressionConverter({ pipeline, reporter, checkPropertyPath });
  const built = build({ pipeline, region: options.region, sourceMap: input.sourceMap, reporter, assets, expr, emitters });
  const experiment = input.spec.pipeline.experiment;
  const experimentConfig: JsonValue =
    experiment === false
      ? null
      : experiment === undefined
        ? DEFAULT_EXPERIMENT_CONFIG
        : {
            ExperimentName: expr(experiment.experimentName, '/pipeline/experiment/experimentName'),
            TrialName: expr(experiment.trialName, '/pipeline/experiment/trialName'),
          };
  const definition = assembleDefinition(pipeline, built, experimentConfig);
  checkLimits(definition, pipeline, reporter);
  if (hasErrors(reporter.diagnostics)) return failed(reporter);

  const floatParameters = new Set(pipeline.parameters.flatMap((p, i) => (p.type === 'Float' ? [i] : [])));
  const definitionJson = canonicalJson(definition, (path) => isSdkFloat(path, floatParameters));
  return {
    definition,
    definitionJson,
    assets: [...assets.assets],
    requiresS3Upload: definitionJson.length > INLINE_DEFINITION_LIMIT,
    pipeline: pipelineSettings(pipeline),
    diagnostics: sortDiagnostics(reporter.diagnostics),
  };
}

/**
 * Property paths checked against the referenced step's describe shape. The loader's rules check
 * the same thing first; this keeps the compiler honest when it is called on an unchecked spec.
 */
function propertyPathCheck(emitters: ReadonlyMap<string, StepEmitter<Record<string, unknown>>>): PropertyPathCheck {
  return (step, path) => {
    const emitter = emitters.get(step.type);
    if (!emitter) return undefined;
    // The property table knows shapes for step types whose emitters name none (Lambda/Callback outputs).
    const shape = emitter.propertiesShape ?? propertyShapeForStepType(emitter.definitionType);
    if (shape === undefined) return `Step ${step.name} is a ${step.type} step, which has no properties.`;
    const outputs = step.spec.outputs;
    const outputParameters = Array.isArray(outputs)
      ? outputs.flatMap((o) => (typeof o === 'string' ? [o] : o && typeof o === 'object' && typeof (o as { name?: unknown }).name === 'string' ? [(o as { name: string }).name] : []))
      : outputs && typeof outputs === 'object'
        ? Object.keys(outputs)
        : [];
    const result = validatePropertyPath(shape, path, { outputParameters });
    return result.ok ? undefined : `Steps.${step.name}.${path}: ${result.message}`;
  };
}

/**
 * Where the SDK's definition always holds a Python float: Float parameter defaults
 * (ParameterFloat rejects ints) and retry BackoffRate (a float default the user rarely changes).
 */
function isSdkFloat(path: JsonPath, floatParameters: ReadonlySet<number>): boolean {
  if (path.length === 3 && path[0] === 'Parameters' && path[2] === 'DefaultValue') {
    return typeof path[1] === 'number' && floatParameters.has(path[1]);
  }
  return path.length >= 3 && path[path.length - 1] === 'BackoffRate' && path[path.length - 3] === 'RetryPolicies';
}

function failed(reporter: Reporter): CompileResult {
  return { assets: [], requiresS3Upload: false, diagnostics: sortDiagnostics(reporter.diagnostics) };
}

function pipelineSettings(pipeline: NormalizedPipeline): NonNullable<CompileResult['pipeline']> {
  const out: NonNullable<CompileResult['pipeline']> = {
    name: pipeline.name,
    roleArn: pipeline.roleArn,
    bucket: pipeline.bucket,
    tags: { ...pipeline.tags },
  };
  if (pipeline.displayName !== undefined) out.displayName = pipeline.displayName;
  if (pipeline.description !== undefined) out.description = pipeline.description;
  if (pipeline.bucketPrefix !== undefined) out.bucketPrefix = pipeline.bucketPrefix;
  if (pipeline.parallelism !== undefined) out.parallelism = pipeline.parallelism;
  return out;
}

/** Reports every over-long field by its JSON path, at the spec step that produced it. */
function checkLimits(definition: JsonObject, pipeline: NormalizedPipeline, reporter: Reporter): void {
  const byDefinitionName = new Map(pipeline.steps.map((s) => [s.definitionName, s]));
  const visit = (steps: JsonValue | undefined, path: string): void => {
    if (!Array.isArray(steps)) return;
    steps.forEach((raw, i) => {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
      const stepPath = `${path}[${i}]`;
      const name = typeof raw.Name === 'string' ? raw.Name : '';
      const pointer = byDefinitionName.get(name)?.pointer ?? pipeline.steps.find((s) => name.startsWith(s.name))?.pointer ?? '/steps';
      const args = raw.Arguments;
      for (const v of checkStepArguments(String(raw.Type), args ?? null, `${stepPath}${jsonPathMember('Arguments')}`)) {
        reporter.report('error', 'limit', pointer, v.message);
      }
      if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
        visit(args.IfSteps, `${stepPath}.Arguments.IfSteps`);
        visit(args.ElseSteps, `${stepPath}.Arguments.ElseSteps`);
      }
    });
  };
  visit(definition.Steps, 'Steps');
}
