/**
 * Server-side input validation against SageMaker's own model constraints (generated from
 * botocore into constraints.generated.json): required members, string and list lengths,
 * numeric ranges, patterns and enums. The SDKs do not check these client-side, so without this
 * a kit bug such as a 20-character ClientRequestToken would pass locally and fail on AWS.
 * Messages follow SageMaker's "N validation error(s) detected: Value … at '…' failed to
 * satisfy constraint: …" form.
 */
import constraints from './constraints.generated.json' with { type: 'json' };
import { validation } from '../service-error.js';

interface Shape {
  t: string;
  min?: number;
  max?: number;
  p?: string;
  e?: string[];
  r?: string[];
  m?: Record<string, string>;
  i?: string;
  k?: string;
  v?: string;
}

const model = constraints as unknown as { operations: Record<string, string>; shapes: Record<string, Shape> };
const patterns = new Map<string, RegExp | null>();

/** A model pattern as a whole-value JS regex; null when JS cannot express it (then it is not checked). */
function patternOf(source: string): RegExp | null {
  let compiled = patterns.get(source);
  if (compiled === undefined) {
    try {
      // Tag keys/values are modelled as `(…)*${1,128}`, a quantified end anchor Java tolerates
      // and JS rejects; the length part is already checked through min/max.
      compiled = new RegExp(`^(?:${source.replace(/\$\{\d+,\d+\}$/, '')})$`, 'u');
    } catch {
      compiled = null;
    }
    patterns.set(source, compiled);
  }
  return compiled;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent === '' ? name : `${parent}.${name}`;
}

function check(value: unknown, shapeName: string, path: string, errors: string[]): void {
  const shape = model.shapes[shapeName];
  if (shape === undefined || value === undefined || value === null) return;
  const fail = (constraint: string): void => {
    errors.push(`Value '${shown(value)}' at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  };
  switch (shape.t) {
    case 'string': {
      if (typeof value !== 'string') return fail('be a string');
      const length = [...value].length;
      if (shape.min !== undefined && length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      if (shape.e !== undefined && !shape.e.includes(value)) fail(`satisfy enum value set: [${shape.e.join(', ')}]`);
      const pattern = shape.p === undefined ? null : patternOf(shape.p);
      if (pattern !== null && !pattern.test(value)) fail(`satisfy regular expression pattern: ${shape.p ?? ''}`);
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      if (typeof value !== 'number') return fail('be a number');
      if (shape.min !== undefined && value < shape.min) fail(`have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`have value less than or equal to ${shape.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail('be a boolean');
      return;
    case 'list': {
      if (!Array.isArray(value)) return fail('be a list');
      if (shape.min !== undefined && value.length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      value.forEach((item, index) => check(item, shape.i ?? '', `${path}.${index + 1}.member`, errors));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail('be a map');
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.max !== undefined && entries.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      for (const [key, item] of entries) {
        check(key, shape.k ?? '', `${path}.${key}.key`, errors);
        check(item, shape.v ?? '', `${path}.${key}.value`, errors);
      }
      return;
    }
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return fail('be a structure');
      const object = value as Record<string, unknown>;
      for (const member of shape.r ?? []) {
        if (object[member] === undefined || object[member] === null) {
          errors.push(`Value null at '${memberPath(path, member)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [member, memberShape] of Object.entries(shape.m ?? {})) check(object[member], memberShape, memberPath(path, member), errors);
      return;
    }
    default:
      return;
  }
}

/** Throws SageMaker's ValidationException when `input` breaks the operation's model constraints. */
export function validateInput(operation: string, input: Record<string, unknown>): void {
  const shapeName = model.operations[operation];
  if (shapeName === undefined) return;
  const errors: string[] = [];
  check(input, shapeName, '', errors);
  if (errors.length > 0) {
    throw validation(`${errors.length} validation error${errors.length === 1 ? '' : 's'} detected: ${errors.join('; ')}`);
  }
}

/** Model patterns JavaScript cannot compile (so left unchecked); exposed for a test that keeps it empty. */
export function uncheckablePatterns(): string[] {
  return Object.values(model.shapes)
    .map((s) => s.p)
    .filter((p): p is string => p !== undefined && patternOf(p) === null);
}
