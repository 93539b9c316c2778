/**
 * Expressions: spec values (literals and `get`/`output`/`jsonGet`/`join`/`topModel` objects) →
 * definition JSON, in the shapes of the SDK's `Properties`, `Parameter`, `ExecutionVariable`,
 * `Join` and `JsonGet`. References are checked against the step graph as they are converted.
 */
import {
  EXECUTION_VARIABLES,
  parseExpression,
  type Expression,
  type Reference,
} from '../spec/references.js';
import { childPointer } from '../spec/source-map.js';
import type { NormalizedPipeline, NormalizedStep } from './normalize.js';
import type { Reporter } from './reporter.js';
import type { JsonValue } from './types.js';

/** Checks a property path after `Steps.<step>.`; returns an error message or undefined. */
export type PropertyPathCheck = (step: NormalizedStep, path: string) => string | undefined;

export interface ExpressionSettings {
  pipeline: NormalizedPipeline;
  reporter: Reporter;
  checkPropertyPath?: PropertyPathCheck;
}

/** A converter from spec values to definition JSON that reports bad references. */
export function createExpressionConverter(settings: ExpressionSettings): (value: unknown, pointer: string) => JsonValue {
  const convert = (value: unknown, pointer: string): JsonValue => {
    if (value === undefined || value === null) return null;
    const expression = parseExpression(value);
    if (expression) return convertExpression(expression, pointer, settings, convert);
    if (Array.isArray(value)) return value.map((v, i) => convert(v, childPointer(pointer, i)));
    if (typeof value === 'object') {
      const out: Record<string, JsonValue> = {};
      for (const [key, member] of Object.entries(value)) {
        if (member !== undefined) out[key] = convert(member, childPointer(pointer, key));
      }
      return out;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    return null;
  };
  return convert;
}

function convertExpression(
  expression: Expression,
  pointer: string,
  settings: ExpressionSettings,
  convert: (value: unknown, pointer: string) => JsonValue,
): JsonValue {
  const { pipeline, reporter } = settings;
  switch (expression.kind) {
    case 'get': {
      const ref = expression.reference;
      if (!ref) {
        reporter.report('error', 'bad-reference', childPointer(pointer, 'get'), `\`${expression.text}\` is not a Get reference.`, 'Use Parameters.<Name>, Execution.<Variable> or Steps.<Step>.<property path>.');
        return null;
      }
      return { Get: getText(ref, pointer, settings) ?? expression.text };
    }
    case 'output': {
      const ref = expression.reference;
      const at = childPointer(pointer, 'output');
      if (!ref || ref.kind !== 'output') {
        reporter.report('error', 'bad-reference', at, `\`${expression.text}\` is not <Step>.<outputName>.`);
        return null;
      }
      const step = knownStep(ref.step, at, settings);
      if (!step) return null;
      if (step.type !== 'processing') {
        reporter.report('error', 'unknown-output', at, `Step ${ref.step} is a ${step.type} step; \`output\` references processing outputs only.`, 'Use {get: Steps.<Step>.<property path>} for other step types.');
        return null;
      }
      const names = namedList(step.spec.outputs);
      if (!names.includes(ref.output)) {
        reporter.report('error', 'unknown-output', at, `Step ${ref.step} has no output named ${ref.output}.`, names.length ? `Its outputs: ${names.join(', ')}.` : 'It declares no outputs.');
        return null;
      }
      return { Get: `Steps.${step.definitionName}.ProcessingOutputConfig.Outputs['${ref.output}'].S3Output.S3Uri` };
    }
    case 'json-get': {
      const at = childPointer(pointer, 'jsonGet');
      const ref = expression.reference;
      if (ref && ref.kind === 'property-file') {
        const step = knownStep(ref.step, childPointer(at, 'propertyFile'), settings);
        if (!step) return null;
        const names = namedList(step.spec.propertyFiles);
        if (!names.includes(ref.propertyFile)) {
          reporter.report('error', 'unknown-property-file', childPointer(at, 'propertyFile'), `Step ${ref.step} has no property file named ${ref.propertyFile}.`, names.length ? `Its property files: ${names.join(', ')}.` : 'Declare it under the step\'s `propertyFiles:`.');
          return null;
        }
        return {
          'Std:JsonGet': {
            PropertyFile: { Get: `Steps.${step.definitionName}.PropertyFiles.${ref.propertyFile}` },
            Path: expression.path,
          },
        };
      }
      if (expression.s3Uri !== undefined) {
        return {
          'Std:JsonGet': { S3Uri: convert(expression.s3Uri, childPointer(at, 's3Uri')), Path: expression.path },
        };
      }
      reporter.report('error', 'bad-reference', at, 'jsonGet needs `propertyFile: <Step>.<PropertyFileName>` or `s3Uri`.');
      return null;
    }
    case 'join': {
      const valuesPointer = childPointer(childPointer(pointer, 'join'), 'values');
      return {
        'Std:Join': {
          On: expression.on,
          Values: expression.values.map((v, i) => convert(v, childPointer(valuesPointer, i))),
        },
      };
    }
    case 'top-model': {
      const at = childPointer(childPointer(pointer, 'topModel'), 'step');
      const ref = expression.reference;
      if (ref.kind !== 'top-model') return null;
      const step = knownStep(ref.step, at, settings);
      if (!step) return null;
      if (step.type !== 'tuning') {
        reporter.report('error', 'bad-reference', at, `Step ${ref.step} is a ${step.type} step; topModel needs a tuning step.`);
        return null;
      }
      const location = parseS3(expression.outputPath ?? tuningOutputPath(step)) ?? {
        bucket: pipeline.bucket,
        prefix: pipeline.bucketPrefix ?? '',
      };
      // TuningStep.get_top_model_s3_uri: s3:/ + bucket (+ prefix) + the k-th job's name + output/model.tar.gz.
      const values: JsonValue[] = ['s3:/', location.bucket];
      if (location.prefix) values.push(location.prefix);
      values.push({ Get: `Steps.${step.definitionName}.TrainingJobSummaries[${ref.rank}].TrainingJobName` });
      values.push('output/model.tar.gz');
      return { 'Std:Join': { On: '/', Values: values } };
    }
  }
}

/** The `Get` text for a parameter, execution variable or step property reference. */
function getText(ref: Reference, pointer: string, settings: ExpressionSettings): string | undefined {
  const at = childPointer(pointer, 'get');
  const { pipeline, reporter } = settings;
  switch (ref.kind) {
    case 'parameter': {
      if (!pipeline.parameters.some((p) => p.name === ref.name)) {
        const declared = pipeline.parameters.map((p) => p.name);
        reporter.report('error', 'unknown-parameter', at, `No parameter named ${ref.name}.`, declared.length ? `Declared parameters: ${declared.join(', ')}.` : 'Declare it under `parameters:`.');
      }
      return `Parameters.${ref.name}`;
    }
    case 'execution': {
      if (!EXECUTION_VARIABLES.includes(ref.variable)) {
        reporter.report('error', 'unknown-execution-variable', at, `No execution variable named ${ref.variable}.`, `Known: ${EXECUTION_VARIABLES.join(', ')}.`);
      }
      return `Execution.${ref.variable}`;
    }
    case 'step-property': {
      const step = knownStep(ref.step, at, settings);
      if (!step) return undefined;
      const problem = settings.checkPropertyPath?.(step, ref.path);
      if (problem) reporter.report('error', 'unknown-property', at, problem);
      return ref.path.startsWith('[') ? `Steps.${step.definitionName}${ref.path}` : `Steps.${step.definitionName}.${ref.path}`;
    }
    default:
      return undefined;
  }
}

function knownStep(name: string, pointer: string, settings: ExpressionSettings): NormalizedStep | undefined {
  const step = settings.pipeline.stepsByName.get(name);
  if (!step) settings.reporter.report('error', 'unknown-step', pointer, `No step named ${name}.`);
  return step;
}

function namedList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) =>
    item !== null && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string'
      ? [(item as { name: string }).name]
      : [],
  );
}

function tuningOutputPath(step: NormalizedStep): string | undefined {
  const estimator = step.spec.estimator;
  if (estimator === null || typeof estimator !== 'object') return undefined;
  const outputPath = (estimator as { outputPath?: unknown }).outputPath;
  return typeof outputPath === 'string' ? outputPath : undefined;
}

/** Splits `s3://bucket/prefix/` into bucket and prefix (no surrounding slashes). */
export function parseS3(uri: string | undefined): { bucket: string; prefix: string } | undefined {
  const match = uri === undefined ? null : /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) return undefined;
  return { bucket: match[1] ?? '', prefix: (match[2] ?? '').replace(/\/+$/, '') };
}
