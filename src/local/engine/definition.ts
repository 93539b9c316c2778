/**
 * The definition as the engine plans it: every step (including those nested in condition
 * branches) with the steps it waits for — DependsOn, data references, and its enclosing condition.
 */
import { referencedSteps } from './expressions.js';
import { EngineValidationError, type JsonObject, type JsonValue } from './ports.js';

/** One step of the plan. */
export interface PlannedStep {
  name: string;
  type: string;
  /** The step's object from the definition, untouched. */
  definition: JsonObject;
  /** Names of steps that must succeed before this one starts. */
  waitsFor: Set<string>;
  /** Set for steps listed in a condition's IfSteps/ElseSteps: they run only when that branch is taken. */
  branch?: { condition: string; outcome: boolean };
}

/** A parsed definition. */
export interface Plan {
  parameters: JsonValue | undefined;
  /** Steps in definition order (top-level steps first, then each condition's branches). */
  steps: PlannedStep[];
  byName: Map<string, PlannedStep>;
}

/** Parses definition JSON (text or object) into a plan; throws EngineValidationError when it cannot be run. */
export function planDefinition(definition: JsonObject | string): Plan {
  let doc: JsonValue;
  try {
    doc = typeof definition === 'string' ? (JSON.parse(definition) as JsonValue) : definition;
  } catch (error) {
    throw new EngineValidationError(`Pipeline definition is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc) || !Array.isArray(doc['Steps'])) throw new EngineValidationError('Pipeline definition has no Steps array.');
  const steps: PlannedStep[] = [];
  const byName = new Map<string, PlannedStep>();
  const add = (raw: JsonValue, branch?: PlannedStep['branch']): void => {
    if (!isObject(raw) || typeof raw['Name'] !== 'string' || typeof raw['Type'] !== 'string') {
      throw new EngineValidationError(`Step ${JSON.stringify(raw).slice(0, 80)} has no Name or Type.`);
    }
    const name = raw['Name'];
    if (byName.has(name)) throw new EngineValidationError(`Step name '${name}' is used more than once.`);
    const args = isObject(raw['Arguments']) ? raw['Arguments'] : {};
    // A condition's branches are steps of their own; only its Conditions are its data inputs.
    const inputs: JsonValue = raw['Type'] === 'Condition' ? (args['Conditions'] ?? null) : args;
    const waitsFor = referencedSteps(inputs);
    // Some step types (Lambda, Callback, checks, EMR) carry inputs outside Arguments.
    for (const [key, value] of Object.entries(raw)) {
      if (!['Name', 'Type', 'Arguments', 'DependsOn', 'PropertyFiles'].includes(key)) referencedSteps(value, waitsFor);
    }
    for (const dep of Array.isArray(raw['DependsOn']) ? raw['DependsOn'] : []) waitsFor.add(String(dep));
    if (branch) waitsFor.add(branch.condition);
    const step: PlannedStep = { name, type: raw['Type'], definition: raw, waitsFor, ...(branch ? { branch } : {}) };
    steps.push(step);
    byName.set(name, step);
    if (raw['Type'] === 'Condition') {
      for (const child of asArray(args['IfSteps'])) add(child, { condition: name, outcome: true });
      for (const child of asArray(args['ElseSteps'])) add(child, { condition: name, outcome: false });
    }
  };
  for (const raw of doc['Steps']) add(raw);
  for (const step of steps) {
    step.waitsFor.delete(step.name);
    for (const dep of step.waitsFor) {
      if (!byName.has(dep)) throw new EngineValidationError(`Step '${step.name}' depends on '${dep}', which is not a step of this pipeline.`);
    }
  }
  assertAcyclic(steps, byName);
  return { parameters: doc['Parameters'], steps, byName };
}

function assertAcyclic(steps: PlannedStep[], byName: Map<string, PlannedStep>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (step: PlannedStep, trail: string[]): void => {
    if (state.get(step.name) === 'done') return;
    if (state.get(step.name) === 'visiting') {
      throw new EngineValidationError(`Steps depend on each other in a cycle: ${[...trail, step.name].join(' → ')}.`);
    }
    state.set(step.name, 'visiting');
    for (const dep of step.waitsFor) {
      const next = byName.get(dep);
      if (next) visit(next, [...trail, step.name]);
    }
    state.set(step.name, 'done');
  };
  for (const step of steps) visit(step, []);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}
