/**
 * A readable structural diff between two pipeline definitions, for `smpk plan` and PR comments.
 * Steps are matched by Name (not array position), so inserting a step shows as one addition
 * rather than every later step "changing".
 */

export interface DefinitionChange {
  kind: 'added' | 'removed' | 'changed';
  /** Readable path: `Steps[Train].Arguments.HyperParameters.epochs`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const named = (v: Json): v is { Name: string } => isObject(v) && typeof v.Name === 'string';

function walk(path: string, a: Json, b: Json, out: DefinitionChange[]): void {
  if (Array.isArray(a) && Array.isArray(b) && (a.length > 0 || b.length > 0) && [...a, ...b].every(named)) {
    // Lists of named things (steps, parameters, branch steps) are compared by name.
    const before = new Map((a as { Name: string }[]).map((x) => [x.Name, x]));
    const after = new Map((b as { Name: string }[]).map((x) => [x.Name, x]));
    for (const [name, x] of before) {
      if (!after.has(name)) out.push({ kind: 'removed', path: `${path}[${name}]`, before: x });
      else walk(`${path}[${name}]`, x, after.get(name), out);
    }
    for (const [name, x] of after) if (!before.has(name)) out.push({ kind: 'added', path: `${path}[${name}]`, after: x });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (i >= a.length) out.push({ kind: 'added', path: `${path}[${i}]`, after: b[i] });
      else if (i >= b.length) out.push({ kind: 'removed', path: `${path}[${i}]`, before: a[i] });
      else walk(`${path}[${i}]`, a[i], b[i], out);
    }
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of Object.keys(a)) {
      const p = path ? `${path}.${key}` : key;
      if (!(key in b)) out.push({ kind: 'removed', path: p, before: a[key] });
      else walk(p, a[key], b[key], out);
    }
    for (const key of Object.keys(b)) if (!(key in a)) out.push({ kind: 'added', path: path ? `${path}.${key}` : key, after: b[key] });
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ kind: 'changed', path, before: a, after: b });
}

/** Every difference between the deployed definition and the new one (empty when equivalent). */
export function diffDefinitions(before: Json, after: Json): DefinitionChange[] {
  const out: DefinitionChange[] = [];
  walk('', before, after, out);
  return out;
}

function show(value: unknown, max = 120): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line per change: `+ path: value`, `- path: value`, `~ path: before → after`. */
export function renderDefinitionDiff(changes: readonly DefinitionChange[]): string {
  if (changes.length === 0) return 'No changes: the deployed definition is up to date.\n';
  return `${changes
    .map((c) =>
      c.kind === 'added' ? `+ ${c.path}: ${show(c.after)}` : c.kind === 'removed' ? `- ${c.path}: ${show(c.before)}` : `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`,
    )
    .join('\n')}\n${changes.length} change${changes.length === 1 ? '' : 's'}.\n`;
}
