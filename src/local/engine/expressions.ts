/**
 * Resolution of the definition's expressions — `Get` (Parameters, Execution, Steps), `Std:Join`
 * and `Std:JsonGet` — inside a step's Arguments or a condition's operands.
 */
import { StepFailure } from './failure.js';
import { parsePath, walkPath } from './paths.js';
import type { JsonObject, JsonValue } from './ports.js';
import { parseS3Uri } from './s3-uri.js';

/** What expressions can read during one execution. */
export interface ExpressionScope {
  parameters: ReadonlyMap<string, JsonValue>;
  execution: {
    pipelineName: string;
    pipelineArn: string;
    executionId: string;
    executionArn: string;
    startTime: Date;
    now(): Date;
  };
  /** Name of the job the current step is about to create (Execution.TrainingJobName / ProcessingJobName). */
  jobName?: string;
  /** Describe* response of a step that has succeeded in this execution, else undefined. */
  stepProperties(stepName: string): JsonObject | undefined;
  /** `s3://` URI of a step's property file (its output's S3Uri + FilePath), else undefined. */
  propertyFileUri(stepName: string, fileName: string): string | undefined;
  /** Object bytes, or undefined when missing. */
  readObject(bucket: string, key: string): Promise<Uint8Array | undefined>;
}

/** True when `value` is one of the definition's expression objects. */
export function isExpression(value: JsonValue | undefined): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Get' || keys[0] === 'Std:Join' || keys[0] === 'Std:JsonGet');
}

/** Deep copy of `value` with every expression replaced by its value; a StepFailure when one cannot be resolved. */
export async function resolveValue(value: JsonValue, scope: ExpressionScope): Promise<JsonValue> {
  if (isExpression(value)) return evaluate(value, scope);
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value) out.push(await resolveValue(item, scope));
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value as JsonObject)) out[key] = await resolveValue(item, scope);
    return out;
  }
  return value;
}

/** Names of the steps an expression tree reads (data dependencies). */
export function referencedSteps(value: JsonValue | undefined, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencedSteps(item, into);
  else if (typeof value === 'object' && value !== null) {
    const get = value['Get'];
    if (typeof get === 'string' && get.startsWith('Steps.')) {
      const name = stepNameOf(get);
      if (name) into.add(name);
    }
    for (const item of Object.values(value)) referencedSteps(item, into);
  }
  return into;
}

function stepNameOf(get: string): string | undefined {
  return /^Steps\.([^.[]+)/.exec(get)?.[1];
}

async function evaluate(expr: JsonObject, scope: ExpressionScope): Promise<JsonValue> {
  if ('Get' in expr) return get(String(expr['Get']), scope);
  if ('Std:Join' in expr) {
    const join = expr['Std:Join'] as JsonObject;
    const on = join['On'] === undefined ? '' : stringify(await resolveValue(join['On'], scope));
    const values = Array.isArray(join['Values']) ? join['Values'] : [];
    const parts: string[] = [];
    for (const item of values) parts.push(stringify(await resolveValue(item, scope)));
    return parts.join(on);
  }
  return jsonGet(expr['Std:JsonGet'] as JsonObject, scope);
}

/** How values become text in Join and in string-typed contexts (the service renders booleans lowercase). */
export function stringify(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function get(path: string, scope: ExpressionScope): JsonValue {
  const [root, ...restParts] = path.split('.');
  const rest = restParts.join('.');
  if (root === 'Parameters') {
    const value = scope.parameters.get(rest);
    if (value === undefined) throw new StepFailure(`Parameter '${rest}' referenced by {"Get": "${path}"} is not defined.`);
    return value;
  }
  if (root === 'Execution') {
    const ex = scope.execution;
    switch (rest) {
      case 'StartDateTime':
        return ex.startTime.toISOString();
      case 'CurrentDateTime':
        return ex.now().toISOString();
      case 'PipelineName':
        return ex.pipelineName;
      case 'PipelineArn':
        return ex.pipelineArn;
      case 'PipelineExecutionId':
        return ex.executionId;
      case 'PipelineExecutionArn':
        return ex.executionArn;
      case 'TrainingJobName':
      case 'ProcessingJobName':
        if (scope.jobName !== undefined) return scope.jobName;
        throw new StepFailure(`{"Get": "${path}"} is only defined inside a step that runs a job.`);
      default:
        throw new StepFailure(`Unknown execution variable {"Get": "${path}"}.`);
    }
  }
  if (root === 'Steps') {
    const stepName = stepNameOf(path) ?? '';
    const propertyPath = path.slice('Steps.'.length + stepName.length).replace(/^\./, '');
    const props = scope.stepProperties(stepName);
    if (props === undefined) throw new StepFailure(`{"Get": "${path}"} is undefined: step '${stepName}' has not succeeded in this execution.`);
    const value = walkPath(props, parsePath(propertyPath), true);
    if (value === undefined || value === null) throw new StepFailure(`{"Get": "${path}"} is undefined.`);
    return value;
  }
  throw new StepFailure(`Unsupported reference {"Get": "${path}"}.`);
}

async function jsonGet(args: JsonObject, scope: ExpressionScope): Promise<JsonValue> {
  const jsonPath = String(args['Path'] ?? '');
  let uri: string;
  const propertyFile = args['PropertyFile'];
  if (propertyFile !== undefined) {
    const ref = typeof propertyFile === 'object' && propertyFile !== null && !Array.isArray(propertyFile) ? String(propertyFile['Get']) : String(propertyFile);
    const match = /^Steps\.([^.]+)\.PropertyFiles\.(.+)$/.exec(ref);
    if (!match) throw new StepFailure(`Std:JsonGet PropertyFile '${ref}' is not of the form Steps.<Step>.PropertyFiles.<Name>.`);
    const found = scope.propertyFileUri(match[1] ?? '', match[2] ?? '');
    if (found === undefined) throw new StepFailure(`Property file '${match[2]}' of step '${match[1]}' is undefined.`);
    uri = found;
  } else {
    uri = stringify(await resolveValue(args['S3Uri'] ?? null, scope));
  }
  let location;
  try {
    location = parseS3Uri(uri);
  } catch (error) {
    throw new StepFailure(`Std:JsonGet: ${(error as Error).message}.`);
  }
  const bytes = await scope.readObject(location.bucket, location.key);
  if (bytes === undefined) throw new StepFailure(`Received an error while reading file ${uri} from S3: NoSuchKey: The specified key does not exist.`);
  let document: JsonValue;
  try {
    document = JSON.parse(new TextDecoder().decode(bytes)) as JsonValue;
  } catch {
    throw new StepFailure(`Contents of file ${uri} are not in valid JSON format.`);
  }
  let segments;
  try {
    segments = parsePath(jsonPath);
  } catch {
    throw new StepFailure(`Invalid json path '${jsonPath}'.`);
  }
  const value = walkPath(document, segments, false);
  if (value === undefined) throw new StepFailure(`Invalid json path '${jsonPath}': nothing at that path in ${uri}.`);
  return value;
}
