/** What a step runner receives and returns. */
import type { ClockPort, EnginePorts, JsonObject, LogPort, ObjectStorePort, RecordPort, SpawnPort, StepMetadata } from '../ports.js';

/** The ports with every optional member filled in. */
export interface ResolvedPorts {
  objects: ObjectStorePort;
  records: RecordPort;
  clock: ClockPort;
  spawn: SpawnPort;
  logs: LogPort;
  workDir: string;
  python: string;
  baseEnv: Record<string, string>;
  newId: () => string;
}

/** One attempt of one step. */
export interface StepRunContext {
  stepName: string;
  stepType: string;
  /** The step's Arguments with every expression resolved. */
  args: JsonObject;
  /** The step's object in the definition, unresolved (for PropertyFiles). */
  definition: JsonObject;
  /** The step's other top-level keys (CheckType, SkipCheck, Supplied* baselines…), resolved. */
  extras: JsonObject;
  /** Name for the job/model this attempt creates (unique per attempt). */
  jobName: string;
  region: string;
  accountId: string;
  ports: ResolvedPorts;
  /** Aborted when the execution is stopped. */
  signal: AbortSignal;
  /** Called once the job/resource exists, so the step lists its ARN while it runs (and if it fails), as SageMaker does. */
  onCreated(metadata: StepMetadata): void;
}

/** A successful attempt: the step's properties (a Describe* body) and its ListPipelineExecutionSteps metadata. */
export interface StepRunResult {
  properties: JsonObject;
  metadata: StepMetadata;
}

/** Runs one attempt; throws StepFailure or StepStopped. */
export type StepRunner = (context: StepRunContext) => Promise<StepRunResult>;

/** Fills the optional ports with their defaults. */
export function resolvePorts(ports: EnginePorts, defaults: { newId: () => string }): ResolvedPorts {
  return {
    objects: ports.objects,
    records: ports.records,
    clock: ports.clock,
    spawn: ports.spawn,
    logs: ports.logs,
    workDir: ports.workDir,
    python: ports.python ?? 'python3',
    baseEnv: ports.baseEnv ?? {},
    newId: ports.newId ?? defaults.newId,
  };
}

/** Epoch seconds, the JSON 1.1 timestamp form stored in resource bodies. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}
