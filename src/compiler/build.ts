/**
 * Build: the second compiler phase. Runs each step's emitter through the registry with an
 * EmitContext, then adds the fields every step shares (DependsOn, DisplayName, Description,
 * RetryPolicies, CacheConfig) in the SDK's key order.
 */
import { resolveImage } from './images.js';
import { childPointer } from '../spec/source-map.js';
import type { SourceMap } from '../spec/source-map.js';
import type { AssetRegistry } from './assets.js';
import type { NormalizedPipeline, NormalizedStep } from './normalize.js';
import type { Reporter } from './reporter.js';
import type { EmitContext, JsonObject, JsonValue, StepDefinition, StepEmitter } from './types.js';

type AnyEmitter = StepEmitter<Record<string, unknown>>;

export interface BuildSettings {
  pipeline: NormalizedPipeline;
  region: string;
  sourceMap: SourceMap;
  reporter: Reporter;
  assets: AssetRegistry;
  expr: (value: unknown, pointer: string) => JsonValue;
  emitters: ReadonlyMap<string, AnyEmitter>;
}

/** Builds every step; returns spec step name → its definition step(s). */
export function build(settings: BuildSettings): Map<string, StepDefinition[]> {
  const ctx = createEmitContext(settings);
  const built = new Map<string, StepDefinition[]>();
  for (const step of settings.pipeline.steps) {
    const emitter = settings.emitters.get(step.type);
    if (!emitter) continue;
    const definitions = emitter.emit(step.spec, ctx, step.pointer);
    if (!settings.pipeline.useCustomJobPrefix) checkJobNames(definitions, step, settings.reporter);
    built.set(step.name, definitions.map((d, i) => withCommonFields(d, step, i, settings)));
  }
  return built;
}

/** Job-name arguments the SDK pops from a definition unless `use_custom_job_prefix` is on. */
const JOB_NAME_KEYS = ['ProcessingJobName', 'TrainingJobName', 'HyperParameterTuningJobName', 'TransformJobName'];

/**
 * A job name can only come from `raw`. The SDK silently drops it without use_custom_job_prefix;
 * we say so instead, since the user evidently expected it to be used.
 */
function checkJobNames(definitions: readonly StepDefinition[], step: NormalizedStep, reporter: Reporter): void {
  for (const definition of definitions) {
    for (const key of JOB_NAME_KEYS) {
      if (key in definition.Arguments) {
        reporter.report('error', 'job-name', childPointer(childPointer(step.pointer, 'raw'), key), `raw.${key} is only used with \`pipeline.useCustomJobPrefix: true\`; otherwise SageMaker names the job.`, 'Set pipeline.useCustomJobPrefix: true to keep it as the job name prefix, or remove it.');
      }
    }
  }
}

/** The EmitContext emitters see; it writes diagnostics and assets into the build's collectors. */
export function createEmitContext(settings: BuildSettings): EmitContext {
  const { pipeline, reporter } = settings;
  return {
    pipelineName: pipeline.name,
    region: settings.region,
    bucket: pipeline.bucket,
    bucketPrefix: pipeline.bucketPrefix,
    roleArn: pipeline.roleArn,
    sourceMap: settings.sourceMap,
    expr: settings.expr,
    asset(path, pointer, options) {
      return settings.assets.add(path, pointer, options)?.s3Uri;
    },
    generatedAsset(fileName, body, options) {
      return settings.assets.addGenerated(fileName, body, options.prefix).s3Uri;
    },
    image(value, pointer, hints) {
      if (value === null || typeof value !== 'object' || !('framework' in value)) {
        return settings.expr(value, pointer);
      }
      const spec = value as Record<string, unknown>;
      const request: Parameters<typeof resolveImage>[0] = {
        framework: String(spec.framework),
        version: String(spec.version),
        region: settings.region,
        scope: spec.imageScope === 'inference' || spec.imageScope === 'training' ? spec.imageScope : hints.scope,
      };
      if (typeof spec.pythonVersion === 'string') request.pythonVersion = spec.pythonVersion;
      if (typeof spec.baseFrameworkVersion === 'string') request.baseFrameworkVersion = spec.baseFrameworkVersion;
      if (typeof spec.processor === 'string') request.processor = spec.processor;
      // A parameterized instance type is unknown at compile time; the processor must then be explicit.
      if (typeof hints.instanceType === 'string') request.instanceType = hints.instanceType;
      const result = resolveImage(request);
      if ('uri' in result) return result.uri;
      reporter.report('error', 'image', pointer, result.error, result.hint);
      return undefined;
    },
    parameterType(name) {
      return pipeline.parameters.find((p) => p.name === name)?.type;
    },
    definitionStepName(specStepName) {
      return pipeline.stepsByName.get(specStepName)?.definitionName ?? specStepName;
    },
    error(pointer, message, hint, code) {
      reporter.report('error', code ?? 'step', pointer, message, hint);
    },
    warning(pointer, message, hint, code) {
      reporter.report('warning', code ?? 'step', pointer, message, hint);
    },
  };
}

/**
 * Adds the shared fields in Step/ConfigurableRetryStep/CacheableStep `to_request` order: Name,
 * Type, Arguments, DependsOn, DisplayName, Description, RetryPolicies, CacheConfig, then the
 * emitter's own extra keys (PropertyFiles, FunctionArn, …). In a multi-step collection, DependsOn
 * goes on the first step only (the others follow it inside the collection).
 */
function withCommonFields(
  definition: StepDefinition,
  step: NormalizedStep,
  index: number,
  settings: BuildSettings,
): StepDefinition {
  const spec = step.spec;
  const out: StepDefinition = { Name: definition.Name, Type: definition.Type, Arguments: definition.Arguments };
  const dependsOn = Array.isArray(spec.dependsOn) ? spec.dependsOn.map((d) => String(d)) : [];
  if (definition.DependsOn) out.DependsOn = definition.DependsOn;
  else if (index === 0 && dependsOn.length) {
    out.DependsOn = dependsOn.map((name) => settings.pipeline.stepsByName.get(name)?.definitionName ?? name);
  }
  const displayName = definition.DisplayName ?? (typeof spec.displayName === 'string' ? spec.displayName : undefined);
  if (displayName) out.DisplayName = displayName;
  const description = definition.Description ?? (typeof spec.description === 'string' ? spec.description : undefined);
  if (description) out.Description = description;
  const retry = definition.RetryPolicies ?? retryPolicies(spec.retry);
  if (retry && retry.length) out.RetryPolicies = retry;
  const cache = definition.CacheConfig ?? cacheConfig(spec.cache);
  if (cache) out.CacheConfig = cache;
  for (const [key, value] of Object.entries(definition)) {
    if (!(key in out) && value !== undefined) out[key] = value;
  }
  return out;
}

/** The spec's `retry:` list → RetryPolicies (StepRetryPolicy/SageMakerJobStepRetryPolicy shape). */
export function retryPolicies(value: unknown): JsonObject[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((raw) => {
    const policy = raw as Record<string, unknown>;
    const out: JsonObject = {
      // RetryPolicy defaults: backoff_rate 2.0, interval_seconds 1.
      BackoffRate: typeof policy.backoffRate === 'number' ? policy.backoffRate : 2,
      IntervalSeconds: typeof policy.intervalSeconds === 'number' ? policy.intervalSeconds : 1,
    };
    if (typeof policy.maxAttempts === 'number') out.MaxAttempts = policy.maxAttempts;
    if (typeof policy.expireAfterMinutes === 'number') out.ExpireAfterMin = policy.expireAfterMinutes;
    out.ExceptionType = Array.isArray(policy.exceptionTypes) ? policy.exceptionTypes.map(String) : [];
    return out;
  });
}

/** The spec's `cache:` → CacheConfig. */
export function cacheConfig(value: unknown): StepDefinition['CacheConfig'] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const cache = value as { enabled?: unknown; expireAfter?: unknown };
  const out: { Enabled: boolean; ExpireAfter?: string } = { Enabled: cache.enabled === true };
  if (typeof cache.expireAfter === 'string') out.ExpireAfter = cache.expireAfter;
  return out;
}

/** Pointer of a member of a step, for emitters. */
export function stepMember(step: NormalizedStep, ...tokens: (string | number)[]): string {
  return tokens.reduce<string>((p, t) => childPointer(p, t), step.pointer);
}
