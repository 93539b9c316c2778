/** Step caching (CacheConfig): the key of a step run and whether a stored run may be reused. */
import { createHash } from 'node:crypto';
import { parseDuration } from './durations.js';
import type { CacheEntry, JsonValue } from './ports.js';

/**
 * The Arguments members SageMaker builds a step's cache key from ("Default cache key attributes
 * by pipeline step type" in the SageMaker Pipelines guide). Outputs are not among them: default
 * output paths contain the execution id, so hashing them would make every run a cache miss.
 * Types not listed here are keyed on all their arguments.
 */
export const CACHE_KEY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  Processing: ['AppSpecification', 'Environment', 'ProcessingInputs'],
  Training: ['AlgorithmSpecification', 'CheckpointConfig', 'DebugHookConfig', 'DebugRuleConfigurations', 'Environment', 'HyperParameters', 'InputDataConfig'],
  Tuning: ['HyperParameterTuningJobConfig', 'TrainingJobDefinition', 'TrainingJobDefinitions'],
  Transform: ['DataProcessing', 'Environment', 'ModelName', 'TransformInput'],
  AutoML: ['AutoMLJobConfig', 'AutoMLJobObjective', 'InputDataConfig', 'ProblemType'],
  EMR: ['ClusterId', 'StepConfig'],
};

/** The part of `{Arguments, …}` that keys the cache for a step type. */
function keyedArguments(stepType: string, args: JsonValue): JsonValue {
  const attributes = CACHE_KEY_ATTRIBUTES[stepType];
  if (!attributes || typeof args !== 'object' || args === null || Array.isArray(args)) return args;
  const all = args['Arguments'];
  if (typeof all !== 'object' || all === null || Array.isArray(all)) return args;
  const picked: { [k: string]: JsonValue } = {};
  for (const a of attributes) if (all[a] !== undefined) picked[a] = all[a] as JsonValue;
  return { ...args, Arguments: picked };
}

/** Key of a step run: pipeline, step, type, the cache-key part of its resolved arguments and property files, hashed. */
export function cacheKey(pipelineName: string, stepName: string, stepType: string, args: JsonValue, propertyFiles: JsonValue | undefined): string {
  const text = canonical({ pipelineName, stepName, stepType, args: keyedArguments(stepType, args), propertyFiles: propertyFiles ?? null });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** True when `entry` is still fresh under `expireAfter` (no ExpireAfter: never expires, as on SageMaker). */
export function isFresh(entry: CacheEntry, expireAfter: string | undefined, now: Date): boolean {
  if (expireAfter === undefined) return true;
  return now.getTime() - entry.completedAt.getTime() <= parseDuration(expireAfter);
}

/** JSON with sorted keys, so equal arguments give equal keys whatever their key order. */
function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k] ?? null)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
