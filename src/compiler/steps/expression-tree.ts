/**
 * Expression trees: a free-form JSON object from the spec (an API request fragment such as EMR's
 * cluster configuration) whose leaves may be expressions. The SDK accepts pipeline variables
 * anywhere in such dicts and serializes them in place; this does the same through `ctx.expr`.
 */
import { childPointer } from '../../spec/source-map.js';
import type { EmitContext, JsonObject, JsonValue, Pointer } from '../types.js';

/** The keys that make a one-member mapping an expression (the schema's `Expression` variants). */
const EXPRESSION_KEYS = new Set(['get', 'output', 'jsonGet', 'join', 'topModel']);

/** Converts `value`, replacing every expression in it with its definition JSON. */
export function convertTree(value: unknown, ctx: EmitContext, pointer: Pointer): JsonValue {
  if (Array.isArray(value)) return value.map((item, i) => convertTree(item, ctx, childPointer(pointer, i)));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && EXPRESSION_KEYS.has(keys[0] ?? '')) return ctx.expr(value, pointer);
    const out: JsonObject = {};
    for (const [key, member] of Object.entries(value)) out[key] = convertTree(member, ctx, childPointer(pointer, key));
    return out;
  }
  return value as JsonValue;
}
