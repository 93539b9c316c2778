/**
 * Helpers shared by the job-step emitters: the `raw` escape hatch, network config, and small
 * converters that keep emitters free of `Get`/`Join` JSON built by hand.
 */
import { childPointer } from '../../spec/source-map.js';
import type { EmitContext, JsonObject, JsonValue } from '../types.js';

/** Sets `object[key]` to `ctx.expr(value)` when the spec gave a value. */
export function setExpr(object: JsonObject, key: string, value: unknown, ctx: EmitContext, pointer: string): void {
  if (value !== undefined) object[key] = ctx.expr(value, pointer);
}

/**
 * Deep-merges the spec's `raw` into `args` (in place; `args` is the emitter's own fresh object).
 * Objects merge member by member; anything else the compiler already set is a collision, which is
 * an error: silently overriding would compile a job other than the one the spec describes.
 */
export function mergeRaw(args: JsonObject, raw: unknown, ctx: EmitContext, pointer: string): void {
  if (raw === undefined) return;
  const value = ctx.expr(raw, pointer);
  if (!isPlainObject(value)) {
    ctx.error(pointer, '`raw` must be a mapping of API argument names to values.');
    return;
  }
  mergeInto(args, value, ctx, pointer, '');
}

function mergeInto(target: JsonObject, source: JsonObject, ctx: EmitContext, pointer: string, path: string): void {
  for (const [key, value] of Object.entries(source)) {
    const memberPointer = childPointer(pointer, key);
    const memberPath = path ? `${path}.${key}` : key;
    const existing = target[key];
    if (existing === undefined) {
      target[key] = value;
    } else if (isPlainObject(existing) && isPlainObject(value) && !isExpression(existing) && !isExpression(value)) {
      mergeInto(existing, value, ctx, memberPointer, memberPath);
    } else {
      ctx.error(memberPointer, `raw.${memberPath} collides with a value the compiler sets from the spec.`, 'Set it through the spec field that produces it, or remove it from `raw`.', 'raw-collision');
    }
  }
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

function isExpression(value: JsonObject): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Get' || (keys[0] ?? '').startsWith('Std:'));
}

/** The spec's `network:` → the API's NetworkConfig members (processing shape); undefined if empty. */
export function processingNetworkConfig(network: unknown, ctx: EmitContext, pointer: string): JsonObject | undefined {
  if (!network || typeof network !== 'object') return undefined;
  const n = network as Record<string, unknown>;
  const out: JsonObject = {};
  // Shape and key order of sagemaker.network.NetworkConfig._to_request_dict (isolation defaults to false).
  out.EnableNetworkIsolation = n.enableNetworkIsolation === undefined ? false : ctx.expr(n.enableNetworkIsolation, childPointer(pointer, 'enableNetworkIsolation'));
  setExpr(out, 'EnableInterContainerTrafficEncryption', n.enableInterContainerTrafficEncryption, ctx, childPointer(pointer, 'enableInterContainerTrafficEncryption'));
  if (n.securityGroupIds !== undefined || n.subnets !== undefined) {
    const vpc: JsonObject = {};
    setExpr(vpc, 'SecurityGroupIds', n.securityGroupIds, ctx, childPointer(pointer, 'securityGroupIds'));
    setExpr(vpc, 'Subnets', n.subnets, ctx, childPointer(pointer, 'subnets'));
    out.VpcConfig = vpc;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Converts a `StringMap` (env) member by member; undefined when absent. */
export function stringMap(value: unknown, ctx: EmitContext, pointer: string): JsonObject | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) out[key] = ctx.expr(member, childPointer(pointer, key));
  }
  return out;
}

/** What a location string names: an S3 URI, another URL scheme, or a local path in the repository. */
export function classifyLocation(location: string): 's3' | 'other-url' | 'local' {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return 'local';
  return scheme === 's3' ? 's3' : 'other-url';
}
