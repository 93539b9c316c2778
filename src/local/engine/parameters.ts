/**
 * Pipeline parameters: the definition's typed declarations, overridden by the string values of
 * StartPipelineExecution's `PipelineParameters`, as SageMaker types them.
 */
import { EngineValidationError, type JsonObject, type JsonValue } from './ports.js';

/** Typed values of every parameter for one execution. Throws EngineValidationError on a bad request. */
export function resolveParameters(
  declared: JsonValue | undefined,
  overrides: { Name: string; Value: string }[] = [],
): Map<string, JsonValue> {
  const values = new Map<string, JsonValue>();
  const types = new Map<string, string>();
  for (const item of Array.isArray(declared) ? declared : []) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const decl = item as JsonObject;
    const name = String(decl['Name']);
    const type = typeof decl['Type'] === 'string' ? decl['Type'] : 'String';
    types.set(name, type);
    if (decl['DefaultValue'] !== undefined) values.set(name, typed(name, type, decl['DefaultValue']));
  }
  for (const { Name, Value } of overrides) {
    const type = types.get(Name);
    if (type === undefined) throw new EngineValidationError(`Parameter '${Name}' is not defined in the pipeline definition.`);
    values.set(Name, typed(Name, type, Value));
  }
  for (const name of types.keys()) {
    if (!values.has(name)) throw new EngineValidationError(`Parameter '${name}' has no default value and no value was given.`);
  }
  return values;
}

function typed(name: string, type: string, raw: JsonValue): JsonValue {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (type) {
    case 'Integer': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && /^[-+]?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(n)) throw new EngineValidationError(`Parameter '${name}' must be an Integer, got '${String(raw)}'.`);
      return n;
    }
    case 'Float': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
      if (!Number.isFinite(n)) throw new EngineValidationError(`Parameter '${name}' must be a Float, got '${String(raw)}'.`);
      return n;
    }
    case 'Boolean': {
      if (typeof text === 'boolean') return text;
      if (typeof text === 'string' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      throw new EngineValidationError(`Parameter '${name}' must be a Boolean (true or false), got '${String(raw)}'.`);
    }
    default:
      return typeof raw === 'string' ? raw : JSON.stringify(raw);
  }
}
