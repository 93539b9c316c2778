/**
 * Canonical JSON text of a definition: keys in insertion order (the compiler inserts them in the
 * order the SageMaker Python SDK does) and the SDK's `json.dumps` layout — `", "` and `": "`
 * separators, non-ASCII escaped as `\uXXXX` — so our text diffs cleanly against SDK output.
 */
import type { JsonValue } from './types.js';

/** A JSON path inside the value being serialized: object keys and array indexes. */
export type JsonPath = readonly (string | number)[];

/**
 * Serializes `value` the way Python's `json.dumps(value)` lays it out. JSON numbers lose the
 * int/float distinction Python keeps, so `isFloat` names the places the SDK always holds a float
 * (they print as `2.0`, not `2`).
 */
export function canonicalJson(value: JsonValue, isFloat: (path: JsonPath) => boolean = () => false): string {
  const write = (v: JsonValue, path: (string | number)[]): string => {
    if (v === null) return 'null';
    if (typeof v === 'string') return quote(v);
    if (typeof v === 'number') {
      // Python refuses NaN/Infinity in strict mode; SageMaker would reject them anyway.
      if (!Number.isFinite(v)) throw new Error(`cannot serialize ${v} in a definition`);
      return isFloat(path) ? pythonFloat(v) : pythonNumberText(v);
    }
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (Array.isArray(v)) return `[${v.map((item, i) => write(item, [...path, i])).join(', ')}]`;
    const members: string[] = [];
    for (const [key, member] of Object.entries(v)) {
      // Optional members may be present-but-undefined in emitter output; they are absent in JSON.
      if (member === undefined) continue;
      members.push(`${quote(key)}: ${write(member, [...path, key])}`);
    }
    return `{${members.join(', ')}}`;
  };
  return write(value, []);
}

/** Python's `repr` of a float (`2.0`, `0.1`, `1e-05`, `1e+16`). */
export function pythonFloat(value: number): string {
  // JS and Python pick the same shortest round-trip digits; only the layout differs.
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    const negative = mantissa.startsWith('-');
    const digits = mantissa.replace('-', '').replace('.', '');
    const point = exponent + 1;
    let text: string;
    if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
    else if (point >= digits.length) text = `${digits}${'0'.repeat(point - digits.length)}.0`;
    else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
    return negative ? `-${text}` : text;
  }
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Python's text of a number that came from YAML: integral values as ints, others as float repr. */
export function pythonNumberText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : pythonFloat(value);
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    const code = text.charCodeAt(i);
    const escape = ESCAPES[ch];
    if (escape) out += escape;
    // ensure_ascii: every UTF-16 unit outside printable ASCII becomes \uXXXX (surrogates stay pairs).
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
