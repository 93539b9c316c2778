/**
 * References: the one parser of expression objects (`{get}`, `{output}`, `{jsonGet}`, `{join}`,
 * `{topModel}`) into typed data. The loader's reference rules and the compiler's expression
 * converter both use it, so a spec is never read two different ways.
 */
import { EXECUTION_VARIABLES as KNOWN_EXECUTION_VARIABLES } from './properties.js';
import { childPointer } from './source-map.js';

/** Execution variables SageMaker resolves at run time: the one list, kept in properties.ts. */
export const EXECUTION_VARIABLES: readonly string[] = KNOWN_EXECUTION_VARIABLES;

/** What one expression refers to outside itself. */
export type Reference =
  | { kind: 'parameter'; name: string }
  | { kind: 'execution'; variable: string }
  /** `path` is what follows `Steps.<step>.` (or `Steps.<step>` when it starts with `[`). */
  | { kind: 'step-property'; step: string; path: string }
  | { kind: 'output'; step: string; output: string }
  | { kind: 'property-file'; step: string; propertyFile: string }
  | { kind: 'top-model'; step: string; rank: number };

/** A parsed expression object; nested values stay unparsed (`unknown`) with their pointers. */
export type Expression =
  | { kind: 'get'; reference: Reference | undefined; text: string }
  | { kind: 'output'; reference: Reference | undefined; text: string }
  | { kind: 'json-get'; reference: Reference | undefined; path: string; s3Uri?: unknown }
  | { kind: 'join'; on: string; values: readonly unknown[] }
  | { kind: 'top-model'; reference: Reference; outputPath?: string };

const EXPRESSION_KEYS = new Set(['get', 'output', 'jsonGet', 'join', 'topModel']);

/** True when `value` has the shape of an expression object (one of the five single-key forms). */
export function isExpressionObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && EXPRESSION_KEYS.has(keys[0] ?? '');
}

/** Parses the text of a `get` (`Parameters.X`, `Execution.X`, `Steps.S.<path>`) into a reference. */
export function parseGetText(text: string): Reference | undefined {
  if (text.startsWith('Parameters.')) {
    const name = text.slice('Parameters.'.length);
    return /^[A-Za-z][A-Za-z0-9_]*$/.test(name) ? { kind: 'parameter', name } : undefined;
  }
  if (text.startsWith('Execution.')) {
    const variable = text.slice('Execution.'.length);
    return /^[A-Za-z]+$/.test(variable) ? { kind: 'execution', variable } : undefined;
  }
  const step = /^Steps\.([A-Za-z0-9][A-Za-z0-9_-]*)(\.|\[)(.+)$/.exec(text);
  if (step) {
    const [, name = '', separator = '', rest = ''] = step;
    return { kind: 'step-property', step: name, path: separator === '[' ? `[${rest}` : rest };
  }
  return undefined;
}

/** Splits `<Step>.<name>` at its first dot (step names have no dots; output names may). */
export function splitStepMember(text: string): { step: string; member: string } | undefined {
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) return undefined;
  return { step: text.slice(0, dot), member: text.slice(dot + 1) };
}

/** Parses one expression object; undefined when `value` is not an expression object. */
export function parseExpression(value: unknown): Expression | undefined {
  if (!isExpressionObject(value)) return undefined;
  if ('get' in value) {
    const text = typeof value.get === 'string' ? value.get : '';
    return { kind: 'get', reference: parseGetText(text), text };
  }
  if ('output' in value) {
    const text = typeof value.output === 'string' ? value.output : '';
    const parts = splitStepMember(text);
    return {
      kind: 'output',
      text,
      reference: parts && { kind: 'output', step: parts.step, output: parts.member },
    };
  }
  if ('jsonGet' in value) {
    const body = asRecord(value.jsonGet);
    const path = typeof body.path === 'string' ? body.path : '';
    if (body.propertyFile !== undefined) {
      const parts = typeof body.propertyFile === 'string' ? splitStepMember(body.propertyFile) : undefined;
      return {
        kind: 'json-get',
        path,
        reference: parts && { kind: 'property-file', step: parts.step, propertyFile: parts.member },
      };
    }
    return { kind: 'json-get', path, reference: undefined, s3Uri: body.s3Uri };
  }
  if ('join' in value) {
    const body = asRecord(value.join);
    return {
      kind: 'join',
      on: typeof body.on === 'string' ? body.on : '',
      values: Array.isArray(body.values) ? body.values : [],
    };
  }
  const body = asRecord(value.topModel);
  const rank = typeof body.rank === 'number' ? body.rank : 0;
  const expression: Expression = {
    kind: 'top-model',
    reference: { kind: 'top-model', step: typeof body.step === 'string' ? body.step : '', rank },
  };
  if (typeof body.outputPath === 'string') expression.outputPath = body.outputPath;
  return expression;
}

/** A reference found in a spec, with the pointer of the expression object that holds it. */
export interface LocatedReference {
  reference: Reference;
  pointer: string;
}

/**
 * Lists every reference inside `value` (a whole spec, a step, or any sub-tree), depth first in
 * document order, including those nested in `join` values and `jsonGet.s3Uri`.
 */
export function listReferences(value: unknown, pointer = ''): LocatedReference[] {
  const found: LocatedReference[] = [];
  collect(value, pointer, found);
  return found;
}

function collect(value: unknown, pointer: string, found: LocatedReference[]): void {
  const expression = parseExpression(value);
  if (expression) {
    if (expression.kind === 'join') {
      const valuesPointer = childPointer(childPointer(pointer, 'join'), 'values');
      expression.values.forEach((v, i) => collect(v, childPointer(valuesPointer, i), found));
      return;
    }
    if (expression.reference) found.push({ reference: expression.reference, pointer });
    if (expression.kind === 'json-get' && expression.s3Uri !== undefined) {
      collect(expression.s3Uri, childPointer(childPointer(pointer, 'jsonGet'), 's3Uri'), found);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => collect(v, childPointer(pointer, i), found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) collect(v, childPointer(pointer, key), found);
  }
}

/** The step a reference points at, if any. */
export function referencedStep(reference: Reference): string | undefined {
  return reference.kind === 'parameter' || reference.kind === 'execution' ? undefined : reference.step;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
