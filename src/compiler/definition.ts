/**
 * Emit: the last compiler phase. Assembles the definition object the way the SDK's
 * `Pipeline.definition()` does — Version, Metadata, Parameters, PipelineExperimentConfig, Steps —
 * with condition branch steps nested into their condition step's IfSteps/ElseSteps.
 */
import type { NormalizedParameter, NormalizedPipeline } from './normalize.js';
import type { JsonObject, JsonValue, StepDefinition } from './types.js';

/** The pipeline definition schema version the SDK writes. */
export const DEFINITION_VERSION = '2020-12-01';

/** The SDK's default PipelineExperimentConfig: experiment = pipeline name, trial = execution id. */
export const DEFAULT_EXPERIMENT_CONFIG: JsonObject = {
  ExperimentName: { Get: 'Execution.PipelineName' },
  TrialName: { Get: 'Execution.PipelineExecutionId' },
};

/** Assembles the definition from the built steps (spec step name → definition steps). */
export function assembleDefinition(
  pipeline: NormalizedPipeline,
  built: ReadonlyMap<string, readonly StepDefinition[]>,
  experimentConfig: JsonValue,
): JsonObject {
  const nest = (name: string): StepDefinition[] => {
    const step = pipeline.stepsByName.get(name);
    const definitions = (built.get(name) ?? []).map((d) => ({ ...d }));
    if (step?.type === 'condition') {
      const last = definitions[definitions.length - 1];
      if (last) {
        last.Arguments = {
          ...last.Arguments,
          IfSteps: branch(step.spec.ifSteps).flatMap(nest) as unknown as JsonValue[],
          ElseSteps: branch(step.spec.elseSteps).flatMap(nest) as unknown as JsonValue[],
        };
      }
    }
    return definitions;
  };
  const topLevel = pipeline.steps.filter((s) => !s.branchOf).flatMap((s) => nest(s.name));
  return {
    Version: DEFINITION_VERSION,
    Metadata: {},
    Parameters: pipeline.parameters.map(parameterToRequest),
    PipelineExperimentConfig: experimentConfig,
    Steps: topLevel.map(stripUndefined),
  };
}

/** One parameter as `Parameter.to_request` (+ `ParameterString` EnumValues) writes it. */
export function parameterToRequest(parameter: NormalizedParameter): JsonObject {
  const out: JsonObject = { Name: parameter.name, Type: parameter.type };
  if (parameter.default !== undefined && parameter.default !== null) out.DefaultValue = parameter.default;
  if (parameter.enum) out.EnumValues = [...parameter.enum];
  return out;
}

function branch(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function stripUndefined(step: StepDefinition): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(step)) if (value !== undefined) out[key] = value as JsonValue;
  return out;
}
