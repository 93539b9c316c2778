/**
 * The path syntax shared by step property references (`ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri`)
 * and the JsonPath subset of `Std:JsonGet` (`$.metrics.accuracy.value`, `a[0]['b c']`).
 */
import type { JsonValue } from './ports.js';

export type PathSegment = string | number;

/** Splits a path into names and indexes; throws on syntax it does not support. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let rest = path.trim();
  if (rest === '$') return segments;
  if (rest.startsWith('$.')) rest = rest.slice(2);
  else if (rest.startsWith('$[')) rest = rest.slice(1);
  let i = 0;
  let expectName = true;
  while (i < rest.length) {
    const ch = rest[i];
    if (ch === '[') {
      const close = findClose(rest, i);
      const inner = rest.slice(i + 1, close).trim();
      const quoted = /^'(.*)'$/s.exec(inner) ?? /^"(.*)"$/s.exec(inner);
      if (quoted) segments.push(quoted[1] ?? '');
      else if (/^-?\d+$/.test(inner)) segments.push(Number(inner));
      else throw new Error(`unsupported path segment [${inner}] in '${path}'`);
      i = close + 1;
      expectName = false;
    } else if (ch === '.') {
      i += 1;
      expectName = true;
    } else {
      if (!expectName) throw new Error(`unexpected '${ch}' in path '${path}'`);
      let end = i;
      while (end < rest.length && rest[end] !== '.' && rest[end] !== '[') end += 1;
      segments.push(rest.slice(i, end));
      i = end;
      expectName = false;
    }
  }
  return segments;
}

function findClose(text: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < text.length; i += 1) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === ']') return i;
  }
  throw new Error(`unclosed '[' in path '${text}'`);
}

/**
 * Keys by which SageMaker's list-shaped properties are indexed with a string
 * (`Outputs['train']` → OutputName, `FinalMetricDataList['acc']` → MetricName…).
 */
const LIST_KEYS = ['OutputName', 'InputName', 'ChannelName', 'MetricName', 'Name', 'Key'];

/** Follows `segments` through a value; undefined when any step is missing. `keyedLists` enables name lookup in lists. */
export function walkPath(value: JsonValue | undefined, segments: PathSegment[], keyedLists: boolean): JsonValue | undefined {
  let current = value;
  for (const segment of segments) {
    if (current === undefined || current === null) return undefined;
    if (Array.isArray(current)) {
      if (typeof segment === 'number') {
        current = current[segment < 0 ? current.length + segment : segment];
      } else if (keyedLists) {
        current = current.find(
          (item) => typeof item === 'object' && item !== null && !Array.isArray(item) && LIST_KEYS.some((k) => item[k] === segment),
        );
      } else return undefined;
    } else if (typeof current === 'object') {
      current = current[String(segment)];
    } else return undefined;
  }
  return current;
}
