/**
 * Execution parameters: spec defaults ← a parameters file ← flags/inputs, each value type-checked
 * against the parameter's declared type before anything is started.
 */
import { parse as parseYaml } from 'yaml';
import type { PipelineSpec } from '../spec/types.generated.js';

/**
 * The text of a parameters file (YAML or JSON mapping of parameter name → value) as a record,
 * or a sentence saying what is wrong with it. Aliases are refused: the file is untrusted input.
 */
export function parseParametersFile(text: string): { values: Record<string, unknown> } | { problem: string } {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 0 });
  } catch (error) {
    return { problem: `is not valid YAML/JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { problem: 'must hold a mapping of parameter names to values' };
  return { values: data as Record<string, unknown> };
}

export interface ParameterProblem {
  name: string;
  message: string;
}

export interface ResolvedParameters {
  /** Values to send to StartPipelineExecution (only those that differ from the defaults, like the SDK's start()). */
  overrides: { Name: string; Value: string }[];
  /** Every parameter's effective value, for the summary. */
  effective: Record<string, string>;
  problems: ParameterProblem[];
}

/** Checks one textual value against a parameter type; returns a problem sentence or undefined. */
export function checkParameterValue(type: string, value: string, allowed?: readonly string[]): string | undefined {
  switch (type) {
    case 'Integer':
      return /^[+-]?\d+$/.test(value.trim()) ? undefined : `expected an Integer, got ${JSON.stringify(value)}`;
    case 'Float':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : `expected a Float, got ${JSON.stringify(value)}`;
    case 'Boolean':
      return /^(true|false)$/i.test(value.trim()) ? undefined : `expected true or false, got ${JSON.stringify(value)}`;
    case 'String':
      return allowed && !allowed.includes(value) ? `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(value)}` : undefined;
    default:
      return `unknown parameter type ${type}`;
  }
}

/** Text form of a default value, as SageMaker shows and receives it. */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Merges defaults, a parameters file and flags (later wins) and type-checks the result. */
export function resolveParameters(
  spec: Pick<PipelineSpec, 'parameters'>,
  layers: readonly Record<string, unknown>[],
): ResolvedParameters {
  const declared = spec.parameters ?? {};
  const effective: Record<string, string> = {};
  const given = new Map<string, string>();
  const problems: ParameterProblem[] = [];
  for (const [name, p] of Object.entries(declared)) {
    if (!p) continue;
    const d = text(p.default);
    if (d !== undefined) effective[name] = d;
  }
  for (const layer of layers) {
    for (const [name, raw] of Object.entries(layer)) {
      const p = declared[name];
      if (!p) {
        const known = Object.keys(declared);
        problems.push({ name, message: `the spec has no parameter ${name}${known.length ? ` (it has ${known.join(', ')})` : ''}` });
        continue;
      }
      const value = text(raw) ?? '';
      const problem = checkParameterValue(p.type, value, p.enum ?? undefined);
      if (problem) problems.push({ name, message: `parameter ${name}: ${problem}` });
      else given.set(name, value);
    }
  }
  for (const [name, value] of given) effective[name] = value;
  for (const name of Object.keys(declared)) {
    if (effective[name] === undefined) problems.push({ name, message: `parameter ${name} has no default; give it a value with --param ${name}=…` });
  }
  const overrides = [...given].filter(([name, value]) => text(declared[name]?.default) !== value).map(([Name, Value]) => ({ Name, Value }));
  return { overrides, effective, problems };
}
