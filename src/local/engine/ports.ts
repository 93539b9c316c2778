/**
 * The boundary between the local execution engine and its host (the local service).
 *
 * The engine interprets a compiled pipeline definition and runs its steps as local processes. It
 * touches the outside world only through the ports below, so the service decides where state
 * lives (disk), and tests use in-memory fakes. Everything the engine records is shaped like the
 * SageMaker API response that will later expose it (botocore `sagemaker` model), so the service
 * can return records as-is (serialising `Date` as epoch seconds, as JSON 1.1 does).
 *
 * Wiring, from the service's side:
 *   1. On StartPipelineExecution, create the execution record yourself (ARN, CreationTime,
 *      PipelineExecutionStatus 'Executing', parameters…), then call `startExecution(input, ports)`.
 *   2. The engine reports progress through `records`: `updateExecution` (status, failure reason,
 *      times) and `putStep` (one whole `PipelineExecutionStep` per call, upsert by StepName — the
 *      latest call wins). List steps newest-started first, as SageMaker does.
 *   3. On StopPipelineExecution, call `handle.stop()`; the engine writes Stopping then Stopped.
 *   4. Jobs/models/packages the engine creates go through `putResource`, keyed by kind and name,
 *      holding the Describe* response body (DescribeProcessingJob, DescribeTrainingJob…), with
 *      timestamps already as epoch seconds (numbers), so a body can be returned as-is.
 *   5. Process output goes to `logs` under the CloudWatch group/stream SageMaker would use.
 *
 * Other entry points: `createNodeSpawner()` (./node-spawn.ts) and `createSystemClock()`
 * (./system-clock.ts) are the production SpawnPort and ClockPort; `createModelServer()`
 * (./model-server.ts) serves InvokeEndpoint with the same local inference contract as Transform
 * steps (documented in ./inference_harness.py). The engine's Python files (ENGINE_ASSETS in
 * ./assets.ts) must be copied to dist/local-engine/ by a bundle.
 *
 * What runs locally: Processing (python/shell entrypoints), Training in script mode, Model,
 * RegisterModel, Transform (entry script via the harness), QualityCheck DATA_QUALITY (emulated),
 * Condition, Fail. Everything else (Tuning, Lambda, Callback, EMR, ClarifyCheck, built-in
 * algorithm images…) fails with "Step '<name>' (<Type>) cannot run on the local backend: <why>.
 * Run it against AWS, or drop the step from local runs."
 */
import type { JsonObject, JsonValue } from '../../compiler/types.js';

export type { JsonObject, JsonValue };

// ---------------------------------------------------------------------------------------------
// What the engine needs from its host
// ---------------------------------------------------------------------------------------------

/** S3 subset. Keys are object keys without a leading slash; bodies are whole objects. */
export interface ObjectStorePort {
  /** Bytes of `s3://bucket/key`, or undefined when there is no such object (or bucket). */
  get(bucket: string, key: string): Promise<Uint8Array | undefined>;
  /** Writes (creates or replaces) `s3://bucket/key`; creates the bucket when it does not exist. */
  put(bucket: string, key: string, body: Uint8Array): Promise<void>;
  /** Every key in `bucket` starting with `prefix` (all pages, any order); [] when none. */
  list(bucket: string, prefix: string): Promise<string[]>;
}

export type PipelineExecutionStatus = 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';
export type StepStatus = 'Starting' | 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded';

/** Fields of DescribePipelineExecution the engine owns; omitted fields are left unchanged. */
export interface ExecutionPatch {
  PipelineExecutionStatus: PipelineExecutionStatus;
  FailureReason?: string;
  LastModifiedTime: Date;
}

/** `PipelineExecutionStepMetadata` (botocore), the members the engine fills. */
export interface StepMetadata {
  ProcessingJob?: { Arn: string };
  TrainingJob?: { Arn: string };
  TransformJob?: { Arn: string };
  TuningJob?: { Arn: string };
  Model?: { Arn: string };
  RegisterModel?: { Arn: string };
  Condition?: { Outcome: 'True' | 'False' };
  Fail?: { ErrorMessage: string };
  Lambda?: { Arn: string; OutputParameters?: { Name: string; Value: string }[] };
  Callback?: { CallbackToken: string; SqsQueueUrl?: string; OutputParameters?: { Name: string; Value: string }[] };
  QualityCheck?: JsonObject;
  ClarifyCheck?: JsonObject;
  EMR?: { ClusterId?: string; StepId?: string; StepName?: string; LogFilePath?: string };
  AutoMLJob?: { Arn: string };
  Endpoint?: { Arn: string };
  EndpointConfig?: { Arn: string };
}

/** One element of ListPipelineExecutionSteps' `PipelineExecutionSteps` (botocore `PipelineExecutionStep`). */
export interface PipelineExecutionStep {
  StepName: string;
  StepDisplayName?: string;
  StepDescription?: string;
  StartTime?: Date;
  EndTime?: Date;
  StepStatus: StepStatus;
  CacheHitResult?: { SourcePipelineExecutionArn: string };
  FailureReason?: string;
  Metadata?: StepMetadata;
  AttemptCount?: number;
}

/** Kinds of resources the engine creates, named after the Describe* call that returns them. */
export type ResourceKind =
  | 'ProcessingJob' // DescribeProcessingJob, keyed by ProcessingJobName
  | 'TrainingJob' // DescribeTrainingJob, keyed by TrainingJobName
  | 'TransformJob' // DescribeTransformJob, keyed by TransformJobName
  | 'Model' // DescribeModel, keyed by ModelName
  | 'ModelPackage' // DescribeModelPackage, keyed by ModelPackageArn (versioned packages have no unique name)
  | 'ModelPackageGroup'; // DescribeModelPackageGroup, keyed by ModelPackageGroupName

/**
 * A successful step run that a later execution may reuse (CacheConfig). The engine computes
 * `key` from pipeline name, step name, step type and the step's resolved arguments.
 */
export interface CacheEntry {
  key: string;
  sourcePipelineExecutionArn: string;
  /** When the source step succeeded; entries older than the step's ExpireAfter are ignored. */
  completedAt: Date;
  /** Engine-private snapshot (step properties, metadata) needed to replay the step's outputs. */
  snapshot: JsonObject;
}

/** The service's persistent records. Calls for one execution are made in order, never concurrently for the same record. */
export interface RecordPort {
  /** Applies a status change to the execution record the service created before `startExecution`. */
  updateExecution(executionArn: string, patch: ExecutionPatch): Promise<void>;
  /** Upserts the step record named `step.StepName` of this execution with the given whole value. */
  putStep(executionArn: string, step: PipelineExecutionStep): Promise<void>;
  /** Creates or replaces a resource's Describe* body. */
  putResource(kind: ResourceKind, id: string, describe: JsonObject): Promise<void>;
  /** A resource's Describe* body, or undefined when none has that id. */
  getResource(kind: ResourceKind, id: string): Promise<JsonObject | undefined>;
  /** Every resource of a kind (any order); used e.g. to number model package versions in a group. */
  listResources(kind: ResourceKind): Promise<JsonObject[]>;
  /** Newest cache entry stored under `key`, or undefined. */
  getCacheEntry(key: string): Promise<CacheEntry | undefined>;
  /** Stores a cache entry (replacing an older one with the same key). */
  putCacheEntry(entry: CacheEntry): Promise<void>;
  /**
   * Optional, needed for selective execution: keeps what a succeeded step produced (its Describe*
   * body, or `{Outcome}` for a condition) so a later execution can reuse it. Engine-private JSON.
   */
  putStepProperties?(executionArn: string, stepName: string, properties: JsonObject): Promise<void>;
  /** Optional, needed for selective execution: what `putStepProperties` stored, or undefined. */
  getStepProperties?(executionArn: string, stepName: string): Promise<JsonObject | undefined>;
}

/** Time, injectable so tests need no real waiting. */
export interface ClockPort {
  /** Current time. */
  now(): Date;
  /** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** What to run; paths are real host paths (the engine has already rewritten /opt/ml/...). */
export interface SpawnRequest {
  command: string;
  args: string[];
  cwd: string;
  /** The complete environment of the child (the engine decides what is inherited). */
  env: Record<string, string>;
  /** Called once per complete line of output, without its newline. */
  onLine(stream: 'stdout' | 'stderr', line: string): void;
}

/** A running child process. */
export interface SpawnedProcess {
  /** Settles when the process has exited and its output has been delivered to `onLine`. */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** Terminates the process (and its children); safe to call more than once or after exit. */
  kill(): void;
}

/** Starts local processes. */
export interface SpawnPort {
  /** Starts a process; a failure to start (ENOENT…) is reported as an exit with code 127 and a line on stderr. */
  spawn(request: SpawnRequest): SpawnedProcess;
}

/** Where captured process output goes: CloudWatch-like groups and streams. */
export interface LogPort {
  /**
   * Appends one event. `group` is e.g. `/aws/sagemaker/ProcessingJobs`, `/aws/sagemaker/TrainingJobs`,
   * `/aws/sagemaker/TransformJobs`; `stream` is `<job-name>/algo-1-<epoch-seconds>` as SageMaker names them.
   */
  append(group: string, stream: string, event: { timestamp: Date; message: string }): void;
}

/** Everything the engine is given. */
export interface EnginePorts {
  objects: ObjectStorePort;
  records: RecordPort;
  clock: ClockPort;
  spawn: SpawnPort;
  logs: LogPort;
  /** Directory under which the engine creates one sandbox per job (it is the engine's to fill; not removed by it). */
  workDir: string;
  /** Python interpreter used for scripts and the engine's harnesses; 'python3' by default. */
  python?: string;
  /** Environment inherited by every job before the container contract's variables (e.g. PATH); {} by default. */
  baseEnv?: Record<string, string>;
  /** Source of unique suffixes for job names and tokens; random hex by default. */
  newId?: () => string;
}

// ---------------------------------------------------------------------------------------------
// What the engine exposes
// ---------------------------------------------------------------------------------------------

/** Input of `startExecution` (see ./engine.ts): the StartPipelineExecution request as the service resolved it. */
export interface StartExecutionInput {
  /** The pipeline definition (object, or the JSON text CreatePipeline received). */
  definition: JsonObject | string;
  /** `PipelineParameters` of StartPipelineExecution; unknown names are an error, values are typed per the definition. */
  parameters?: { Name: string; Value: string }[];
  pipelineName: string;
  pipelineArn: string;
  /** `arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>`; the id is the last segment. */
  executionArn: string;
  /** From StartPipelineExecution, else the pipeline's; unlimited when absent. */
  parallelismConfiguration?: { MaxParallelExecutionSteps: number };
  /**
   * StartPipelineExecution's SelectiveExecutionConfig: only SelectedSteps run; the others' results
   * are reused from SourcePipelineExecutionArn (read with `records.getStepProperties`) and those
   * steps are not listed. Needs the optional step-properties methods of RecordPort.
   */
  selectiveExecutionConfig?: { SourcePipelineExecutionArn?: string; SelectedSteps: { StepName: string }[] };
  /** Region and account used in ARNs of created resources; parsed from `executionArn` when absent. */
  region?: string;
  accountId?: string;
}

/** How an execution ended. */
export interface ExecutionOutcome {
  status: 'Succeeded' | 'Failed' | 'Stopped';
  failureReason?: string;
}

/** A started execution. */
export interface ExecutionHandle {
  /** Settles (never rejects) after the terminal status has been written through `records`. */
  readonly done: Promise<ExecutionOutcome>;
  /** Writes Stopping, kills running processes, marks running steps Stopped, then writes Stopped; resolves with `done`. */
  stop(): Promise<ExecutionOutcome>;
}

/**
 * Thrown synchronously by `startExecution` when the request itself is invalid (unknown parameter,
 * value of the wrong type, definition that is not JSON); the service maps it to ValidationException.
 */
export class EngineValidationError extends Error {
  override readonly name = 'EngineValidationError';
}
