/**
 * Hyperparameter strings as the SDK writes them: `str(v)` for a plain Estimator, `json.dumps(v)`
 * for framework (script-mode) estimators, and `to_string()` for pipeline variables (String
 * parameters and execution variables as they are; anything else wrapped in a `Std:Join` on "").
 */
import { parseExpression } from '../../spec/references.js';
import { canonicalJson, pythonNumberText } from '../canonical-json.js';
import type { EmitContext, JsonValue } from '../types.js';

export type HyperparameterEncoding = 'str' | 'json';

/** Python's `repr`/`str` of a number as it arrived from YAML (integral values print as ints). */
export function pythonNumber(value: number): string {
  return pythonNumberText(value);
}

/** Python `str(v)` of a YAML scalar. */
export function pythonStr(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value);
  return value;
}

/** Python `json.dumps(v)` of a YAML scalar. */
export function pythonJsonDumps(value: string | number | boolean): string {
  if (typeof value === 'number') return pythonNumber(value);
  return canonicalJson(value);
}

/**
 * The SDK's `to_string()` of a value: literals by `encoding`, pipeline variables as expressions
 * (a non-String value must be joined into a string, which is what `PipelineVariable.to_string` does).
 */
export function toStringValue(value: unknown, encoding: HyperparameterEncoding, ctx: EmitContext, pointer: string): JsonValue {
  const expression = parseExpression(value);
  if (expression) {
    const converted = ctx.expr(value, pointer);
    if (expression.kind === 'get' && expression.reference) {
      const ref = expression.reference;
      if (ref.kind === 'execution') return converted;
      if (ref.kind === 'parameter' && ctx.parameterType?.(ref.name) === 'String') return converted;
    }
    return { 'Std:Join': { On: '', Values: [converted] } };
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return encoding === 'json' ? pythonJsonDumps(value) : pythonStr(value);
  }
  ctx.error(pointer, 'A hyperparameter must be a string, number, boolean or expression.');
  return null;
}
