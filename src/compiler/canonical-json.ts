/**
 * Canonical JSON text of a definition: keys in insertion order (the compiler inserts them in the
 * order the SageMaker Python SDK does) and the SDK's `json.dumps` layout — `", "` and `": "`
 * separators, non-ASCII escaped as `\uXXXX` — so our text diffs cleanly against SDK output.
 */
import type { JsonValue } from './types.js';

/** Serializes `value` the way Python's `json.dumps(value)` lays it out. */
export function canonicalJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    // Python refuses NaN/Infinity in strict mode; SageMaker would reject them anyway.
    if (!Number.isFinite(value)) throw new Error(`cannot serialize ${value} in a definition`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(', ')}]`;
  const members: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    // Optional members may be present-but-undefined in emitter output; they are absent in JSON.
    if (member === undefined) continue;
    members.push(`${quote(key)}: ${canonicalJson(member)}`);
  }
  return `{${members.join(', ')}}`;
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
