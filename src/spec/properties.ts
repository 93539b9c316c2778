/**
 * Step properties: which `Steps.<name>.<path>` references a step of a given type can satisfy, as
 * the SageMaker Python SDK's workflow Properties build them from the botocore describe shapes
 * (table: property-shapes.generated.json, from scripts/gen-property-shapes.mjs).
 */
import generated from './property-shapes.generated.json' with { type: 'json' };

export type PropertyType = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'structure' | 'list' | 'map';

export type PropertyPathResult =
  | { ok: true; type: PropertyType }
  | { ok: false; message: string; hint?: string };

/** A node of the generated tree: a scalar or cut-off type name, a structure, `{ "[]": element }` or `{ "{}": value }`. */
type ShapeNode = string | { [member: string]: ShapeNode };

interface PropertyTable {
  maxDepth: number;
  stepTypes: Record<string, string | null>;
  shapes: Record<string, { [member: string]: ShapeNode }>;
}

// The generated file is produced by scripts/gen-property-shapes.mjs with exactly this shape.
const table = generated as unknown as PropertyTable;

/**
 * Execution variables a definition may reference as `{"Get": "Execution.<name>"}`
 * (sagemaker.workflow.execution_variables.ExecutionVariables, SDK v2.257.6).
 */
export const EXECUTION_VARIABLES = [
  'StartDateTime',
  'CurrentDateTime',
  'PipelineName',
  'PipelineArn',
  'PipelineExecutionId',
  'PipelineExecutionArn',
  'TrainingJobName',
  'ProcessingJobName',
] as const;

export type ExecutionVariable = (typeof EXECUTION_VARIABLES)[number];

/** True when `name` is one of the pipeline's execution variables. */
export function isExecutionVariable(name: string): name is ExecutionVariable {
  return (EXECUTION_VARIABLES as readonly string[]).includes(name);
}

/** Property shape of a definition step type (`Training` → `DescribeTrainingJobResponse`); undefined when the type has no properties (Fail) or is unknown. */
export function propertyShapeForStepType(definitionType: string): string | undefined {
  return table.stepTypes[definitionType] ?? undefined;
}

/** Names of the property shapes `validatePropertyPath` knows, sorted. */
export function propertyShapes(): string[] {
  return Object.keys(table.shapes).sort();
}

/** One step of a property path: `.Member`, `[0]` or `['key']`. */
export type PathSegment =
  | { kind: 'member'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'key'; key: string };

/** Splits `A.B[0].C['k']` into segments; a string message when the syntax is wrong. */
export function parsePropertyPath(path: string): PathSegment[] | string {
  const segments: PathSegment[] = [];
  const identifier = /[A-Za-z_][A-Za-z0-9_]*/y;
  let at = 0;
  const readIdentifier = (): string | undefined => {
    identifier.lastIndex = at;
    const match = identifier.exec(path);
    if (match === null) return undefined;
    at = identifier.lastIndex;
    return match[0];
  };
  const first = readIdentifier();
  if (first === undefined) {
    return path === '' ? 'The property path is empty.' : `The property path "${path}" must start with a property name.`;
  }
  segments.push({ kind: 'member', name: first });
  while (at < path.length) {
    const c = path[at];
    if (c === '.') {
      at += 1;
      const name = readIdentifier();
      if (name === undefined) return `The property path "${path}" has no property name after the "." at character ${at}.`;
      segments.push({ kind: 'member', name });
    } else if (c === '[') {
      const bracket = /\[(?:(\d+)|'([^']*)'|"([^"]*)")\]/y;
      bracket.lastIndex = at;
      const match = bracket.exec(path);
      if (match === null) return `The property path "${path}" has a malformed [...] at character ${at + 1}; write [0] or ['name'].`;
      at = bracket.lastIndex;
      if (match[1] !== undefined) segments.push({ kind: 'index', index: Number(match[1]) });
      else segments.push({ kind: 'key', key: match[2] ?? match[3] ?? '' });
    } else {
      return `The property path "${path}" has an unexpected "${c}" at character ${at + 1}.`;
    }
  }
  return segments;
}

/**
 * Checks a property path against a shape (`ModelArtifacts.S3ModelArtifacts` against
 * `DescribeTrainingJobResponse`) and returns the type it reaches, or the first wrong segment.
 * Lists take `[i]` or `['name']` (SageMaker selects the element by its name field, e.g.
 * `Outputs['train']`, `FinalMetricDataList['val:acc']`); maps take `['key']`.
 * `outputParameters` names the declared outputs of a Lambda or Callback step.
 */
export function validatePropertyPath(
  shape: string,
  path: string,
  options: { outputParameters?: readonly string[] } = {},
): PropertyPathResult {
  const root = table.shapes[shape];
  if (root === undefined) {
    return fail(`There is no property shape "${shape}".`, hintFor(shape, propertyShapes(), 'Known shapes'));
  }
  const segments = parsePropertyPath(path);
  if (typeof segments === 'string') return fail(segments);

  let node: ShapeNode = root;
  let walked = '';
  for (const segment of segments) {
    const here = walked === '' ? shape : `"${walked}"`;
    const kind = nodeType(node);
    if (typeof node === 'string' && kind !== 'structure' && kind !== 'list' && kind !== 'map') {
      return fail(`${here} is a ${kind} and has no ${describe(segment)}.`, `Stop the path at "${walked}".`);
    }
    if (typeof node === 'string') {
      return fail(`${here} is deeper than the ${table.maxDepth} levels the kit checks.`, 'Shorten the path or reference the value another way.');
    }
    if (segment.kind === 'member') {
      if (kind !== 'structure') {
        const example = kind === 'list' ? "[0] or ['<name>']" : "['<key>']";
        return fail(`${here} is a ${kind}; select an element with ${example} before ".${segment.name}".`,
          membersHint(kind === 'list' ? node['[]'] : node['{}'], 'Each element has'));
      }
      const next: ShapeNode | undefined = node[segment.name];
      if (next === undefined) {
        const members = Object.keys(node).sort();
        return fail(`${here} has no property "${segment.name}".`, hintFor(segment.name, members, 'Properties here'));
      }
      node = next;
      walked = walked === '' ? segment.name : `${walked}.${segment.name}`;
      continue;
    }
    if (kind === 'list') {
      node = node['[]'] ?? 'structure';
    } else if (kind === 'map' && segment.kind === 'key') {
      const names = shape === table.stepTypes['Lambda'] || shape === table.stepTypes['Callback'] ? options.outputParameters : undefined;
      if (names !== undefined && !names.includes(segment.key)) {
        return fail(`The step declares no output parameter "${segment.key}".`,
          names.length === 0 ? 'It declares no output parameters at all; add them to the step first.' : hintFor(segment.key, [...names].sort(), 'Declared outputs'));
      }
      node = node['{}'] ?? 'structure';
    } else if (kind === 'map') {
      return fail(`${here} is a map; select a value by key with ['<key>'], not by position.`);
    } else {
      return fail(`${here} is a ${kind}, not a list or map, so it cannot be indexed with ${describe(segment)}.`,
        kind === 'structure' ? membersHint(node, 'Properties here') : `Stop the path at "${walked}".`);
    }
    walked += segment.kind === 'index' ? `[${segment.index}]` : `['${segment.key}']`;
  }
  return { ok: true, type: nodeType(node) };
}

function nodeType(node: ShapeNode): PropertyType {
  if (typeof node === 'string') return node as PropertyType;
  if ('[]' in node) return 'list';
  if ('{}' in node) return 'map';
  return 'structure';
}

function describe(segment: PathSegment): string {
  if (segment.kind === 'member') return `property "${segment.name}"`;
  return segment.kind === 'index' ? `index [${segment.index}]` : `key ['${segment.key}']`;
}

function fail(message: string, hint?: string): PropertyPathResult {
  return hint === undefined ? { ok: false, message } : { ok: false, message, hint };
}

function membersHint(node: ShapeNode | undefined, label: string): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  return `${label}: ${Object.keys(node).sort().join(', ')}.`;
}

/** "Did you mean …?" plus the valid names, so an editor user sees both the likely fix and the options. */
function hintFor(wrong: string, valid: readonly string[], label: string): string {
  const suggestion = closest(wrong, valid);
  const list = `${label}: ${valid.join(', ')}.`;
  return suggestion === undefined ? list : `Did you mean "${suggestion}"? ${list}`;
}

function closest(wrong: string, valid: readonly string[]): string | undefined {
  const lower = wrong.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of valid) {
    const d = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Far-off names are not typos; a wrong suggestion is worse than none.
  return bestDistance <= Math.max(2, Math.floor(wrong.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
