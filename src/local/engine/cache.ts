/** Step caching (CacheConfig): the key of a step run and whether a stored run may be reused. */
import { createHash } from 'node:crypto';
import { parseDuration } from './durations.js';
import type { CacheEntry, JsonValue } from './ports.js';

/** Key of a step run: pipeline, step, type, resolved arguments and property files, hashed. */
export function cacheKey(pipelineName: string, stepName: string, stepType: string, args: JsonValue, propertyFiles: JsonValue | undefined): string {
  const text = canonical({ pipelineName, stepName, stepType, args, propertyFiles: propertyFiles ?? null });
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
