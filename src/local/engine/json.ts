/** Lenient readers for the untyped JSON of step arguments: wrong shapes read as empty, so runners check presence, not types. */
import type { JsonObject, JsonValue } from './ports.js';

/** The value as an object, or {}. */
export function obj(value: JsonValue | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** The value as a list of objects, or []. */
export function list(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

/** The value as a list of strings (non-strings as JSON), or []. */
export function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : [];
}
