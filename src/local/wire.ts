/**
 * Conversion of stored records to AWS JSON 1.1 output. Timestamps go on the wire as epoch
 * seconds; records may hold them as Date (engine records), ISO strings or numbers, so every
 * member whose name says it is a time is normalised here, in one place.
 */

const TIME_MEMBER = /(Time|Date)$/;

function toSeconds(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : ms / 1000;
  }
  return value;
}

/** A deep copy of `value` with Dates and timestamp-named members as epoch seconds; undefined members dropped. */
export function toWire(value: unknown, key = ''): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map((item) => toWire(item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = toWire(v, k);
    }
    return out;
  }
  return TIME_MEMBER.test(key) ? toSeconds(value) : value;
}

/** A request timestamp (epoch seconds number, or ISO string) as epoch seconds. */
export function inputSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms / 1000;
  }
  return undefined;
}
