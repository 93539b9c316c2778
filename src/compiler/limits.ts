/**
 * Limits: the service's length and count limits (from botocore's SageMaker model, see
 * limits.generated.json and scripts/gen-limits.py), checked on the compiled definition before
 * any call, and reported by JSON path. Values that are expressions are only known at run time
 * and are skipped.
 */
import limitsTable from './limits.generated.json' with { type: 'json' };
import type { JsonValue } from './types.js';

interface ShapeLimits {
  type: string;
  min?: number;
  max?: number;
  members?: Record<string, string>;
  member?: string;
  key?: string;
  value?: string;
}

const shapes = limitsTable.shapes as Record<string, ShapeLimits>;
const roots = limitsTable.roots as Record<string, string>;

/** CreatePipeline's limit on an inline PipelineDefinition, in characters. */
export const INLINE_DEFINITION_LIMIT: number = limitsTable.pipeline.PipelineDefinition;

/** Pipeline-level limits (name, display name, description). */
export const PIPELINE_LIMITS = {
  name: limitsTable.pipeline.PipelineName,
  displayName: limitsTable.pipeline.PipelineDisplayName,
  description: limitsTable.pipeline.PipelineDescription,
} as const;

/** One limit a definition breaks. */
export interface LimitViolation {
  /** Where, e.g. `Steps[1].Arguments.HyperParameters.sagemaker_program`. */
  path: string;
  message: string;
}

/** The limit violations in one step's Arguments, judged against the API request its Type creates. */
export function checkStepArguments(stepType: string, args: JsonValue, path: string): LimitViolation[] {
  const root = roots[stepType];
  if (!root) return [];
  const out: LimitViolation[] = [];
  walk(args, root, path, out);
  return out;
}

/** True for `{Get: …}`, `{"Std:Join": …}`, `{"Std:JsonGet": …}`: values known only at run time. */
export function isDynamic(value: JsonValue): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Get' || (keys[0] ?? '').startsWith('Std:'));
}

function walk(value: JsonValue, shapeName: string, path: string, out: LimitViolation[]): void {
  const shape = shapes[shapeName];
  if (!shape || isDynamic(value)) return;
  if (shape.type === 'string' && typeof value === 'string') {
    if (shape.max !== undefined && value.length > shape.max) {
      out.push({ path, message: `${path} is ${value.length} characters long; SageMaker allows at most ${shape.max}.` });
    }
    return;
  }
  if (shape.type === 'list' && Array.isArray(value)) {
    if (shape.max !== undefined && value.length > shape.max) {
      out.push({ path, message: `${path} has ${value.length} items; SageMaker allows at most ${shape.max}.` });
    }
    value.forEach((item, i) => walk(item, shape.member ?? '', `${path}[${i}]`, out));
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  if (shape.type === 'map') {
    const entries = Object.entries(value);
    if (shape.max !== undefined && entries.length > shape.max) {
      out.push({ path, message: `${path} has ${entries.length} entries; SageMaker allows at most ${shape.max}.` });
    }
    for (const [key, member] of entries) {
      const memberPath = `${path}${jsonPathMember(key)}`;
      walk(key, shape.key ?? '', `${memberPath} (key)`, out);
      walk(member, shape.value ?? '', memberPath, out);
    }
    return;
  }
  if (shape.type === 'structure') {
    for (const [key, member] of Object.entries(value)) {
      const memberShape = shape.members?.[key];
      // Members the model does not know (typos in `raw`) are left for the service to reject.
      if (memberShape) walk(member, memberShape, `${path}${jsonPathMember(key)}`, out);
    }
  }
}

/** `.Key` for identifier-like keys, `["odd key"]` otherwise. */
export function jsonPathMember(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
