/**
 * Evaluation of ConditionStep conditions: Equals, GreaterThan(OrEqualTo), LessThan(OrEqualTo),
 * In, Not, Or; the step's list of conditions is ANDed.
 */
import { resolveValue, stringify, type ExpressionScope } from './expressions.js';
import { StepFailure } from './failure.js';
import type { JsonObject, JsonValue } from './ports.js';

/** True when every condition in the list holds. */
export async function evaluateConditions(conditions: JsonValue | undefined, scope: ExpressionScope): Promise<boolean> {
  for (const condition of Array.isArray(conditions) ? conditions : []) {
    if (!(await evaluateCondition(condition as JsonObject, scope))) return false;
  }
  return true;
}

/** Value of one condition object. */
export async function evaluateCondition(condition: JsonObject, scope: ExpressionScope): Promise<boolean> {
  const type = condition['Type'];
  switch (type) {
    case 'Not':
      return !(await evaluateCondition(condition['Condition'] as JsonObject, scope));
    case 'Or': {
      for (const inner of (condition['Conditions'] as JsonValue[] | undefined) ?? []) {
        if (await evaluateCondition(inner as JsonObject, scope)) return true;
      }
      return false;
    }
    case 'In': {
      const query = await resolveValue(condition['QueryValue'] ?? null, scope);
      for (const candidate of (condition['Values'] as JsonValue[] | undefined) ?? []) {
        if (equal(query, await resolveValue(candidate, scope))) return true;
      }
      return false;
    }
    case 'Equals':
    case 'GreaterThan':
    case 'GreaterThanOrEqualTo':
    case 'LessThan':
    case 'LessThanOrEqualTo': {
      const left = await resolveValue(condition['LeftValue'] ?? null, scope);
      const right = await resolveValue(condition['RightValue'] ?? null, scope);
      if (type === 'Equals') return equal(left, right);
      const order = compare(left, right, type);
      if (type === 'GreaterThan') return order > 0;
      if (type === 'GreaterThanOrEqualTo') return order >= 0;
      if (type === 'LessThan') return order < 0;
      return order <= 0;
    }
    default:
      throw new StepFailure(`Unsupported condition type '${String(type)}'.`);
  }
}

/** A number from a number or a numeric string (JsonGet of a string-typed metric, a String parameter…). */
function asNumber(value: JsonValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function equal(left: JsonValue, right: JsonValue): boolean {
  // Numbers compare by value whatever their JSON spelling (1 == 1.0 == "1"), as the service does
  // for primitive operands; everything else compares as text.
  const l = asNumber(left);
  const r = asNumber(right);
  if (l !== undefined && r !== undefined && (typeof left === 'number' || typeof right === 'number')) return l === r;
  return stringify(left) === stringify(right);
}

function compare(left: JsonValue, right: JsonValue, type: string): number {
  const l = asNumber(left);
  const r = asNumber(right);
  if (l !== undefined && r !== undefined) return l === r ? 0 : l < r ? -1 : 1;
  if (typeof left === 'string' && typeof right === 'string') return left === right ? 0 : left < right ? -1 : 1;
  throw new StepFailure(`Condition ${type} cannot compare ${JSON.stringify(left)} with ${JSON.stringify(right)}.`);
}
