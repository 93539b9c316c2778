/**
 * The execution engine: runs one pipeline execution to its end — steps in dependency order
 * within the parallelism limit, conditions choosing branches, caching, retries, stop — and
 * reports every transition through the record port as SageMaker reports it.
 */
import { randomBytes } from 'node:crypto';
import { cacheKey, isFresh } from './cache.js';
import { evaluateConditions } from './conditions.js';
import { planDefinition, type Plan, type PlannedStep } from './definition.js';
import { resolveValue, stringify, type ExpressionScope } from './expressions.js';
import { clip, StepFailure, StepStopped, toStepFailure } from './failure.js';
import { obj } from './json.js';
import { jobName, parseExecutionArn } from './names.js';
import { resolveParameters } from './parameters.js';
import { walkPath, parsePath } from './paths.js';
import {
  EngineValidationError,
  type EnginePorts,
  type ExecutionHandle,
  type ExecutionOutcome,
  type JsonObject,
  type JsonValue,
  type PipelineExecutionStep,
  type StartExecutionInput,
  type StepMetadata,
} from './ports.js';
import { joinS3 } from './s3-uri.js';
import { resolvePorts, type ResolvedPorts } from './steps/context.js';
import { runnerFor } from './steps/index.js';
import { retryDelay } from './retry.js';

type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'stopped';

/** Starts an execution; throws EngineValidationError synchronously when the request cannot run. */
export function startExecution(input: StartExecutionInput, ports: EnginePorts): ExecutionHandle {
  const plan = planDefinition(input.definition);
  const parameters = resolveParameters(plan.parameters, input.parameters);
  checkSelection(input, plan, ports);
  const run = new ExecutionRun(input, plan, parameters, resolvePorts(ports, { newId: () => randomBytes(5).toString('hex') }));
  const done = run.execute();
  return { done, stop: () => run.stop() };
}

const EXECUTION_FAILURE_MAX = 1300;

class ExecutionRun {
  private readonly state = new Map<string, StepState>();
  private readonly records = new Map<string, PipelineExecutionStep>();
  private readonly properties = new Map<string, JsonObject>();
  private readonly outcomes = new Map<string, boolean>();
  private readonly stopController = new AbortController();
  private readonly ids: { region: string; accountId: string; executionId: string };
  private readonly startTime: Date;
  private writes: Promise<void> = Promise.resolve();
  private firstFailure: { step: string; reason: string } | undefined;
  private stopping = false;
  private done: Promise<ExecutionOutcome> | undefined;

  constructor(
    private readonly input: StartExecutionInput,
    private readonly plan: Plan,
    private readonly parameters: Map<string, JsonValue>,
    private readonly ports: ResolvedPorts,
  ) {
    const parsed = parseExecutionArn(input.executionArn);
    this.ids = { region: input.region ?? parsed.region, accountId: input.accountId ?? parsed.accountId, executionId: parsed.executionId };
    this.startTime = ports.clock.now();
    for (const step of plan.steps) this.state.set(step.name, 'pending');
  }

  execute(): Promise<ExecutionOutcome> {
    this.done ??= this.run().catch(async (error: unknown) => {
      // A bug in the engine must still end the execution, or the caller's watch never returns.
      const outcome: ExecutionOutcome = { status: 'Failed', failureReason: clip(`InternalServerError: local engine error: ${error instanceof Error ? error.message : String(error)}`, EXECUTION_FAILURE_MAX) };
      this.stopController.abort();
      await this.write(() =>
        this.ports.records.updateExecution(this.input.executionArn, { PipelineExecutionStatus: 'Failed', FailureReason: outcome.failureReason!, LastModifiedTime: this.ports.clock.now() }),
      );
      return outcome;
    });
    return this.done;
  }

  async stop(): Promise<ExecutionOutcome> {
    const done = this.execute();
    if (!this.stopping && !(await isSettled(done))) {
      this.stopping = true;
      void this.write(() => this.ports.records.updateExecution(this.input.executionArn, { PipelineExecutionStatus: 'Stopping', LastModifiedTime: this.ports.clock.now() }));
      for (const [name, state] of this.state) {
        if (state !== 'running') continue;
        const record = this.records.get(name);
        if (record) this.putStep({ ...record, StepStatus: 'Stopping' });
      }
      this.stopController.abort();
    }
    return done;
  }

  private async run(): Promise<ExecutionOutcome> {
    await this.write(() => this.ports.records.updateExecution(this.input.executionArn, { PipelineExecutionStatus: 'Executing', LastModifiedTime: this.ports.clock.now() }));
    await this.reuseUnselectedSteps();
    const limit = this.input.parallelismConfiguration?.MaxParallelExecutionSteps;
    const max = typeof limit === 'number' && limit > 0 ? limit : Infinity;
    const running = new Map<string, Promise<void>>();
    for (;;) {
      this.propagateSkips();
      if (this.firstFailure === undefined && !this.stopping) {
        for (const step of this.plan.steps) {
          if (running.size >= max) break;
          if (this.state.get(step.name) !== 'pending' || !this.isReady(step)) continue;
          this.state.set(step.name, 'running');
          running.set(step.name, this.runStep(step).finally(() => running.delete(step.name)));
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    const outcome: ExecutionOutcome = this.stopping
      ? { status: 'Stopped' }
      : this.firstFailure
        ? {
            status: 'Failed',
            failureReason: clip(`Step failure: One or multiple steps failed. Step '${this.firstFailure.step}': ${this.firstFailure.reason}`, EXECUTION_FAILURE_MAX),
          }
        : { status: 'Succeeded' };
    await this.write(() =>
      this.ports.records.updateExecution(this.input.executionArn, {
        PipelineExecutionStatus: outcome.status,
        LastModifiedTime: this.ports.clock.now(),
        ...(outcome.failureReason !== undefined ? { FailureReason: outcome.failureReason } : {}),
      }),
    );
    return outcome;
  }

  /**
   * Selective execution: every step not selected counts as succeeded with the results of the
   * source execution, or as skipped (with everything that needs it) when the source has none.
   */
  private async reuseUnselectedSteps(): Promise<void> {
    const selection = this.input.selectiveExecutionConfig;
    if (selection === undefined) return;
    const selected = new Set(selection.SelectedSteps.map((s) => s.StepName));
    const source = selection.SourcePipelineExecutionArn;
    for (const step of this.plan.steps) {
      if (selected.has(step.name)) continue;
      const reused = source === undefined ? undefined : await this.ports.records.getStepProperties?.(source, step.name);
      if (reused === undefined) {
        this.state.set(step.name, 'skipped');
        continue;
      }
      this.state.set(step.name, 'succeeded');
      this.properties.set(step.name, reused);
      if (step.type === 'Condition') this.outcomes.set(step.name, reused['Outcome'] === true);
    }
  }

  /** Every step it waits for has succeeded, and its branch (if any) is the one taken. */
  private isReady(step: PlannedStep): boolean {
    for (const dep of step.waitsFor) if (this.state.get(dep) !== 'succeeded') return false;
    return step.branch === undefined || this.outcomes.get(step.branch.condition) === step.branch.outcome;
  }

  /** Marks as skipped the steps that can never run: in a branch not taken, or waiting for a skipped step. */
  private propagateSkips(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const step of this.plan.steps) {
        if (this.state.get(step.name) !== 'pending') continue;
        const branchNotTaken = step.branch !== undefined && this.outcomes.has(step.branch.condition) && this.outcomes.get(step.branch.condition) !== step.branch.outcome;
        if (branchNotTaken || [...step.waitsFor].some((d) => this.state.get(d) === 'skipped')) {
          this.state.set(step.name, 'skipped');
          changed = true;
        }
      }
    }
  }

  /** Runs one step to a final state; never rejects. */
  private async runStep(step: PlannedStep): Promise<void> {
    const def = step.definition;
    const firstStart = this.ports.clock.now();
    const record: PipelineExecutionStep = {
      StepName: step.name,
      ...(typeof def['DisplayName'] === 'string' ? { StepDisplayName: def['DisplayName'] } : {}),
      ...(typeof def['Description'] === 'string' ? { StepDescription: def['Description'] } : {}),
      StartTime: firstStart,
      StepStatus: 'Starting',
      AttemptCount: 1,
    };
    this.putStep(record);
    try {
      if (step.type === 'Condition') return await this.runCondition(step, record);
      if (step.type === 'Fail') return await this.runFail(step, record);
      await this.runJobStep(step, record, firstStart);
    } catch (error) {
      if (error instanceof StepStopped || (this.stopping && !(error instanceof StepFailure))) {
        this.state.set(step.name, 'stopped');
        this.putStep({ ...this.records.get(step.name)!, StepStatus: 'Stopped', EndTime: this.ports.clock.now() });
        return;
      }
      const failure = toStepFailure(error);
      this.fail(step.name, failure.reason, this.records.get(step.name) ?? record);
    }
  }

  private async runCondition(step: PlannedStep, record: PipelineExecutionStep): Promise<void> {
    this.putStep({ ...record, StepStatus: 'Executing' });
    const outcome = await evaluateConditions(obj(step.definition['Arguments'])['Conditions'], this.scope());
    this.outcomes.set(step.name, outcome);
    this.succeed(step.name, { ...record, Metadata: { Condition: { Outcome: outcome ? 'True' : 'False' } } }, {});
  }

  private async runFail(step: PlannedStep, record: PipelineExecutionStep): Promise<void> {
    this.putStep({ ...record, StepStatus: 'Executing' });
    const raw = obj(step.definition['Arguments'])['ErrorMessage'];
    const message = raw === undefined ? '' : stringify(await resolveValue(raw, this.scope()));
    this.fail(step.name, message, { ...record, Metadata: { Fail: { ErrorMessage: message } } });
  }

  private async runJobStep(step: PlannedStep, record: PipelineExecutionStep, firstStart: Date): Promise<void> {
    const def = step.definition;
    const runner = runnerFor(step.type);
    const cache = obj(def['CacheConfig']);
    const cacheEnabled = cache['Enabled'] === true;
    let attempts = 1;
    let current = record;
    for (;;) {
      const name = jobName(this.ids.executionId, step.name, this.ports.newId());
      const args = obj(await resolveValue(obj(def['Arguments']), this.scope(name)));
      const extras = obj(await resolveValue(stepExtras(def), this.scope(name)));
      const key = cacheKey(this.input.pipelineName, step.name, step.type, { Arguments: args, ...extras }, def['PropertyFiles']);
      if (cacheEnabled && attempts === 1) {
        const hit = await this.ports.records.getCacheEntry(key);
        const expireAfter = typeof cache['ExpireAfter'] === 'string' ? cache['ExpireAfter'] : undefined;
        if (hit && hit.sourcePipelineExecutionArn !== this.input.executionArn && isFresh(hit, expireAfter, this.ports.clock.now())) {
          const metadata = obj(hit.snapshot['metadata']) as StepMetadata;
          this.succeed(step.name, { ...current, CacheHitResult: { SourcePipelineExecutionArn: hit.sourcePipelineExecutionArn }, Metadata: metadata }, obj(hit.snapshot['properties']));
          return;
        }
      }
      // A stop that arrived while arguments were resolved: never report Executing after Stopping.
      if (this.stopping) throw new StepStopped();
      current = { ...current, StepStatus: 'Executing' };
      this.putStep(current);
      try {
        const result = await runner({
          stepName: step.name,
          stepType: step.type,
          args,
          definition: def,
          extras,
          jobName: name,
          region: this.ids.region,
          accountId: this.ids.accountId,
          ports: this.ports,
          signal: this.stopController.signal,
          onCreated: (metadata) => {
            current = { ...current, Metadata: metadata };
            this.putStep(current);
          },
        });
        this.succeed(step.name, { ...current, Metadata: result.metadata }, result.properties);
        if (cacheEnabled) {
          await this.ports.records.putCacheEntry({
            key,
            sourcePipelineExecutionArn: this.input.executionArn,
            completedAt: this.ports.clock.now(),
            snapshot: { properties: result.properties, metadata: result.metadata as JsonObject },
          });
        }
        return;
      } catch (error) {
        if (error instanceof StepStopped || this.stopping) throw error;
        const failure = toStepFailure(error);
        const delay = retryDelay(def['RetryPolicies'], failure.retryClass, attempts, firstStart, this.ports.clock.now());
        if (delay === undefined) {
          this.records.set(step.name, current);
          throw failure;
        }
        this.ports.logs.append('/aws/sagemaker/LocalPipelineEngine', this.ids.executionId, {
          timestamp: this.ports.clock.now(),
          message: `Step '${step.name}' attempt ${attempts} failed (${failure.retryClass}); retrying in ${delay} ms: ${failure.reason}`,
        });
        await this.ports.clock.sleep(delay, this.stopController.signal);
        if (this.stopping) throw new StepStopped();
        attempts += 1;
        const { Metadata: _previousJob, ...rest } = current;
        current = { ...rest, AttemptCount: attempts };
      }
    }
  }

  private succeed(name: string, record: PipelineExecutionStep, properties: JsonObject): void {
    this.properties.set(name, properties);
    this.state.set(name, 'succeeded');
    this.putStep({ ...record, StepStatus: 'Succeeded', EndTime: this.ports.clock.now() });
    const { putStepProperties } = this.ports.records;
    if (putStepProperties !== undefined) {
      // Kept for later selective executions; a condition's result is its outcome.
      const kept = this.outcomes.has(name) ? { Outcome: this.outcomes.get(name) === true } : properties;
      void this.write(() => putStepProperties.call(this.ports.records, this.input.executionArn, name, kept));
    }
  }

  private fail(name: string, reason: string, record: PipelineExecutionStep): void {
    this.state.set(name, 'failed');
    this.firstFailure ??= { step: name, reason };
    this.putStep({ ...record, StepStatus: 'Failed', FailureReason: clip(reason), EndTime: this.ports.clock.now() });
  }

  /** Records the step's latest value and queues its write (writes stay in call order). */
  private putStep(step: PipelineExecutionStep): void {
    this.records.set(step.StepName, step);
    void this.write(() => this.ports.records.putStep(this.input.executionArn, step));
  }

  private write(action: () => Promise<void>): Promise<void> {
    // One chain for every record write of the execution: the service sees transitions in order,
    // and a failing write is logged without blocking the ones after it.
    this.writes = this.writes.then(action).catch((error: unknown) => {
      this.ports.logs.append('/aws/sagemaker/LocalPipelineEngine', this.ids.executionId, {
        timestamp: this.ports.clock.now(),
        message: `record write failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    });
    return this.writes;
  }

  private scope(currentJobName?: string): ExpressionScope {
    return {
      parameters: this.parameters,
      execution: {
        pipelineName: this.input.pipelineName,
        pipelineArn: this.input.pipelineArn,
        executionId: this.ids.executionId,
        executionArn: this.input.executionArn,
        startTime: this.startTime,
        now: () => this.ports.clock.now(),
      },
      ...(currentJobName !== undefined ? { jobName: currentJobName } : {}),
      stepProperties: (name) => this.properties.get(name),
      propertyFileUri: (stepName, fileName) => this.propertyFileUri(stepName, fileName),
      readObject: (bucket, key) => this.ports.objects.get(bucket, key),
    };
  }

  /** A property file lives at its output's S3Uri joined with its FilePath. */
  private propertyFileUri(stepName: string, fileName: string): string | undefined {
    const step = this.plan.byName.get(stepName);
    const props = this.properties.get(stepName);
    if (!step || !props) return undefined;
    const files = Array.isArray(step.definition['PropertyFiles']) ? step.definition['PropertyFiles'] : [];
    const file = files.map(obj).find((f) => f['PropertyFileName'] === fileName);
    if (!file) return undefined;
    const uri = walkPath(props, parsePath(`ProcessingOutputConfig.Outputs['${String(file['OutputName'])}'].S3Output.S3Uri`), true);
    return typeof uri === 'string' ? joinS3(uri, String(file['FilePath'] ?? '')) : undefined;
  }
}

/** Rejects a selective execution the engine cannot honour, before anything starts. */
function checkSelection(input: StartExecutionInput, plan: Plan, ports: EnginePorts): void {
  const selection = input.selectiveExecutionConfig;
  if (selection === undefined) return;
  if (selection.SelectedSteps.length === 0) throw new EngineValidationError('SelectiveExecutionConfig.SelectedSteps must name at least one step.');
  for (const { StepName } of selection.SelectedSteps) {
    if (!plan.byName.has(StepName)) throw new EngineValidationError(`Selected step '${StepName}' is not a step of this pipeline.`);
  }
  if (selection.SourcePipelineExecutionArn !== undefined && ports.records.getStepProperties === undefined) {
    throw new EngineValidationError('Selective execution from a source execution needs a record store that keeps step properties (RecordPort.getStepProperties).');
  }
}

/** Keys of a step object that are not its own top-level inputs. */
const STEP_FRAME = new Set(['Name', 'Type', 'Arguments', 'DependsOn', 'DisplayName', 'Description', 'CacheConfig', 'RetryPolicies', 'PropertyFiles']);

function stepExtras(def: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(def).filter(([key]) => !STEP_FRAME.has(key))) as JsonObject;
}

async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(marker)])) !== marker;
}
