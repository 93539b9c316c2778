/**
 * Normalize: the first compiler phase. Resolves pipeline-level settings (role and bucket from the
 * options over the spec), applies parameter default overrides with type checks, and builds the
 * step graph (definition names, condition-branch membership, dependency edges, cycles).
 */
import { listReferences, referencedStep } from '../spec/references.js';
import { childPointer } from '../spec/source-map.js';
import type { PipelineSpec } from '../spec/types.generated.js';
import type { Reporter } from './reporter.js';
import type { CompileOptions, JsonPrimitive, StepEmitter } from './types.js';

export type ParameterType = 'String' | 'Integer' | 'Float' | 'Boolean';

export interface NormalizedParameter {
  name: string;
  type: ParameterType;
  default?: JsonPrimitive;
  enum?: string[];
}

export interface NormalizedStep {
  /** The step exactly as written (never mutated). */
  spec: Readonly<Record<string, unknown>>;
  name: string;
  type: string;
  pointer: string;
  definitionName: string;
  /** The condition step whose branch holds this step, if any. */
  branchOf?: { condition: string; branch: 'if' | 'else' };
  /** Steps this one must run after: explicit `dependsOn`, data references, enclosing condition. */
  upstream: Set<string>;
}

export interface NormalizedPipeline {
  name: string;
  displayName?: string;
  description?: string;
  roleArn: string;
  bucket: string;
  bucketPrefix?: string;
  tags: Record<string, string>;
  parallelism?: number;
  /** PipelineDefinitionConfig.use_custom_job_prefix: job names from `raw` stay in the definition. */
  useCustomJobPrefix: boolean;
  parameters: NormalizedParameter[];
  steps: NormalizedStep[];
  stepsByName: ReadonlyMap<string, NormalizedStep>;
}

type AnyEmitter = StepEmitter<Record<string, unknown>>;

/** Runs the normalize phase; returns undefined when a problem makes building pointless. */
export function normalize(
  spec: PipelineSpec,
  options: CompileOptions,
  emitters: ReadonlyMap<string, AnyEmitter>,
  reporter: Reporter,
): NormalizedPipeline | undefined {
  const roleArn = options.roleArn ?? spec.pipeline.roleArn;
  const bucket = options.bucket ?? spec.pipeline.bucket;
  if (roleArn === undefined) {
    reporter.report('error', 'missing-role', '/pipeline', 'No pipeline role: the spec sets no `pipeline.roleArn` and none was given.', 'Set `pipeline.roleArn`, the SMPK_ROLE_ARN environment variable or --role.');
  } else if (options.roleArn !== undefined && !ROLE_ARN.test(options.roleArn)) {
    reporter.report('error', 'invalid-role', '/pipeline', `The role given through SMPK_ROLE_ARN/--role is not an IAM role ARN: ${options.roleArn}`, 'Expected arn:aws:iam::<account>:role/<name>.');
  }
  if (bucket === undefined) {
    reporter.report('error', 'missing-bucket', '/pipeline', 'No S3 bucket: the spec sets no `pipeline.bucket` and none was given.', 'Set `pipeline.bucket`, the SMPK_BUCKET environment variable or --bucket.');
  } else if (options.bucket !== undefined && !BUCKET.test(options.bucket)) {
    reporter.report('error', 'invalid-bucket', '/pipeline', `The bucket given through SMPK_BUCKET/--bucket is not a valid S3 bucket name: ${options.bucket}`);
  }

  // `{name}` stands for the spec's own name, so CI can ask for `{name}-pr-42` without reading the spec.
  const name = options.pipelineName?.replaceAll('{name}', spec.pipeline.name) ?? spec.pipeline.name;
  if (options.pipelineName !== undefined && !PIPELINE_NAME.test(name)) {
    reporter.report('error', 'invalid-pipeline-name', '/pipeline/name', `The pipeline name given through --pipeline-name is not valid: ${name}`, 'Letters, digits and hyphens, starting with a letter or digit, at most 256 characters.');
  }

  const parameters = normalizeParameters(spec, options.parameterDefaults ?? {}, reporter);
  const steps = buildStepGraph(spec, emitters, reporter);
  if (roleArn === undefined || bucket === undefined || !steps || !PIPELINE_NAME.test(name)) return undefined;

  const pipeline: NormalizedPipeline = {
    name,
    roleArn,
    bucket,
    tags: Object.fromEntries(
      Object.entries(spec.pipeline.tags ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]])),
    ),
    useCustomJobPrefix: spec.pipeline.useCustomJobPrefix === true,
    parameters,
    steps,
    stepsByName: new Map(steps.map((s) => [s.name, s])),
  };
  if (spec.pipeline.displayName !== undefined) pipeline.displayName = spec.pipeline.displayName;
  if (spec.pipeline.description !== undefined) pipeline.description = spec.pipeline.description;
  if (spec.pipeline.bucketPrefix !== undefined) pipeline.bucketPrefix = spec.pipeline.bucketPrefix;
  if (spec.pipeline.parallelism !== undefined) pipeline.parallelism = spec.pipeline.parallelism;
  return pipeline;
}

// Same patterns as the schema's `pipeline.roleArn` and `pipeline.bucket`: option values bypass it.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-/]+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PIPELINE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;

function normalizeParameters(
  spec: PipelineSpec,
  overrides: Record<string, string>,
  reporter: Reporter,
): NormalizedParameter[] {
  const declared = Object.entries(spec.parameters ?? {});
  const known = new Set(declared.map(([name]) => name));
  for (const name of Object.keys(overrides).sort()) {
    if (!known.has(name)) {
      reporter.report('error', 'unknown-parameter', '/parameters', `--param ${name}: the spec declares no parameter ${name}.`, known.size ? `Declared: ${[...known].join(', ')}.` : 'Declare it under `parameters:`.');
    }
  }
  const result: NormalizedParameter[] = [];
  for (const [name, parameter] of declared) {
    if (!parameter) continue;
    const normalized: NormalizedParameter = { name, type: parameter.type };
    const pointer = childPointer('/parameters', name);
    const override = overrides[name];
    if (override !== undefined) {
      const value = parseOverride(parameter.type, override);
      if (value === undefined) {
        reporter.report('error', 'parameter-override', pointer, `--param ${name}=${override}: not a valid ${parameter.type}.`, overrideHint(parameter.type));
      } else if (parameter.enum && !parameter.enum.includes(String(value))) {
        reporter.report('error', 'parameter-override', pointer, `--param ${name}=${override}: not one of the parameter's values (${parameter.enum.join(', ')}).`);
      } else {
        normalized.default = value;
      }
    } else if (parameter.default !== undefined) {
      normalized.default = parameter.default;
    }
    if (parameter.enum) normalized.enum = [...parameter.enum];
    result.push(normalized);
  }
  return result;
}

/** Parses a `--param` string as the parameter's type, or undefined when it does not fit. */
export function parseOverride(type: ParameterType, text: string): JsonPrimitive | undefined {
  switch (type) {
    case 'String':
      return text;
    case 'Integer':
      return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
    case 'Float':
      return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : undefined;
    case 'Boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
  }
}

function overrideHint(type: ParameterType): string {
  switch (type) {
    case 'Integer':
      return 'Give a whole number, e.g. --param Epochs=10.';
    case 'Float':
      return 'Give a number, e.g. --param Threshold=0.8.';
    case 'Boolean':
      return 'Give true or false.';
    case 'String':
      return '';
  }
}

function buildStepGraph(
  spec: PipelineSpec,
  emitters: ReadonlyMap<string, AnyEmitter>,
  reporter: Reporter,
): NormalizedStep[] | undefined {
  const steps: NormalizedStep[] = [];
  const byName = new Map<string, NormalizedStep>();
  let ok = true;
  spec.steps.forEach((raw, index) => {
    const step = raw as unknown as Readonly<Record<string, unknown>>;
    const pointer = `/steps/${index}`;
    const name = String(step.name);
    const type = String(step.type);
    const emitter = emitters.get(type);
    if (!emitter) {
      reporter.report('error', 'unsupported-step-type', childPointer(pointer, 'type'), `Step type \`${type}\` cannot be compiled yet.`);
      ok = false;
    }
    if (byName.has(name)) {
      reporter.report('error', 'duplicate-step', childPointer(pointer, 'name'), `Two steps are named ${name}.`, 'Step names must be unique in a pipeline.');
      ok = false;
      return;
    }
    const normalized: NormalizedStep = {
      spec: step,
      name,
      type,
      pointer,
      definitionName: emitter?.definitionName ? emitter.definitionName(name, step) : name,
      upstream: new Set(),
    };
    steps.push(normalized);
    byName.set(name, normalized);
  });

  for (const step of steps) {
    for (const branch of ['if', 'else'] as const) {
      const key = `${branch}Steps`;
      const members = step.spec[key];
      if (!Array.isArray(members)) continue;
      members.forEach((member, i) => {
        const memberPointer = childPointer(childPointer(step.pointer, key), i);
        const target = byName.get(String(member));
        if (!target) {
          reporter.report('error', 'unknown-step', memberPointer, `Condition step ${step.name} lists an unknown step ${String(member)}.`);
          ok = false;
        } else if (target.branchOf) {
          reporter.report('error', 'duplicate-branch-member', memberPointer, `Step ${target.name} is already in the ${target.branchOf.branch} branch of ${target.branchOf.condition}.`, 'A step may belong to one condition branch only.');
          ok = false;
        } else if (target === step) {
          reporter.report('error', 'cycle', memberPointer, `Condition step ${step.name} lists itself as a branch step.`);
          ok = false;
        } else {
          target.branchOf = { condition: step.name, branch };
          // A branch step runs only after its condition has been evaluated.
          target.upstream.add(step.name);
        }
      });
    }
  }

  for (const step of steps) {
    const dependsOn = step.spec.dependsOn;
    if (Array.isArray(dependsOn)) {
      dependsOn.forEach((dep, i) => {
        const name = String(dep);
        if (!byName.has(name)) {
          reporter.report('error', 'unknown-step', childPointer(childPointer(step.pointer, 'dependsOn'), i), `Step ${step.name} depends on an unknown step ${name}.`);
          ok = false;
        } else step.upstream.add(name);
      });
    }
    for (const { reference } of listReferences(step.spec, step.pointer)) {
      const target = referencedStep(reference);
      // Unknown targets are reported where the expression is converted, with the precise reason.
      if (target !== undefined && byName.has(target)) step.upstream.add(target);
    }
  }

  const cycle = findCycle(steps, byName);
  if (cycle) {
    const first = byName.get(cycle[0] ?? '');
    reporter.report('error', 'cycle', first ? childPointer(first.pointer, 'name') : '/steps', `Steps depend on each other in a cycle: ${cycle.join(' → ')}.`, 'Remove one of the references or dependsOn entries in the cycle.');
    ok = false;
  }
  return ok ? steps : undefined;
}

/** The first dependency cycle found (as a closed list of step names), or undefined. */
export function findCycle(
  steps: readonly NormalizedStep[],
  byName: ReadonlyMap<string, NormalizedStep>,
): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const seen = state.get(name);
    if (seen === 'done') return undefined;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    // Sorted so the reported cycle does not depend on reference order inside a step.
    for (const up of [...(byName.get(name)?.upstream ?? [])].sort()) {
      const cycle = visit(up);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const step of steps) {
    const cycle = visit(step.name);
    if (cycle) return cycle;
  }
  return undefined;
}
