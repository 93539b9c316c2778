/**
 * Conditions: the spec's condition objects → the definition's condition JSON, in the shapes the
 * SDK's conditions module writes (ConditionComparison, ConditionIn, ConditionNot, ConditionOr).
 * Operands go through `ctx.expr`, so a JsonGet operand becomes `{"Std:JsonGet": …}` exactly as
 * `JsonGet.expr` serializes it, and a parameter becomes `{"Get": "Parameters.X"}`.
 */
import { childPointer } from '../spec/source-map.js';
import type { EmitContext, JsonObject } from './types.js';

/** Spec key → definition `Type` of the two-operand comparisons (LeftValue/RightValue). */
export const COMPARISONS: Readonly<Record<string, string>> = {
  equals: 'Equals',
  greaterThan: 'GreaterThan',
  greaterThanOrEqualTo: 'GreaterThanOrEqualTo',
  lessThan: 'LessThan',
  lessThanOrEqualTo: 'LessThanOrEqualTo',
};

const KINDS = [...Object.keys(COMPARISONS), 'in', 'not', 'or'];

/** Converts one spec condition to its definition JSON; undefined (after reporting) when malformed. */
export function conditionToRequest(condition: unknown, ctx: EmitContext, pointer: string): JsonObject | undefined {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    ctx.error(pointer, 'A condition must be a mapping with one key.', `One of: ${KINDS.join(', ')}.`, 'condition-shape');
    return undefined;
  }
  const keys = Object.keys(condition);
  const kind = keys[0];
  if (keys.length !== 1 || kind === undefined || !KINDS.includes(kind)) {
    ctx.error(pointer, `A condition has exactly one of the keys ${KINDS.join(', ')}; found ${keys.join(', ') || 'none'}.`, undefined, 'condition-shape');
    return undefined;
  }
  const body: unknown = (condition as Record<string, unknown>)[kind];
  const at = childPointer(pointer, kind);
  const comparison = COMPARISONS[kind];
  if (comparison !== undefined) {
    if (!Array.isArray(body) || body.length !== 2) {
      ctx.error(at, `\`${kind}\` takes a list of two operands: [left, right].`, undefined, 'condition-shape');
      return undefined;
    }
    return {
      Type: comparison,
      LeftValue: ctx.expr(body[0], childPointer(at, 0)),
      RightValue: ctx.expr(body[1], childPointer(at, 1)),
    };
  }
  switch (kind) {
    case 'in': {
      const member = body as { value?: unknown; in?: unknown } | null;
      if (member === null || typeof member !== 'object' || member.value === undefined || !Array.isArray(member.in)) {
        ctx.error(at, '`in` takes `{value: <operand>, in: [<operand>, …]}`.', undefined, 'condition-shape');
        return undefined;
      }
      const valuesPointer = childPointer(at, 'in');
      return {
        Type: 'In',
        QueryValue: ctx.expr(member.value, childPointer(at, 'value')),
        Values: member.in.map((v, i) => ctx.expr(v, childPointer(valuesPointer, i))),
      };
    }
    case 'not': {
      const inner = conditionToRequest(body, ctx, at);
      return inner && { Type: 'Not', Condition: inner };
    }
    default: {
      if (!Array.isArray(body) || body.length === 0) {
        ctx.error(at, '`or` takes a non-empty list of conditions.', undefined, 'condition-shape');
        return undefined;
      }
      const inner = body.map((c, i) => conditionToRequest(c, ctx, childPointer(at, i)));
      return inner.every((c) => c !== undefined) ? { Type: 'Or', Conditions: inner } : undefined;
    }
  }
}
