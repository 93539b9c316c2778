/**
 * Running pipeline executions: hands StartPipelineExecution over to the engine (or any
 * runner with the engine's `startExecution` signature), keeps the handles for Stop, and
 * settles executions a previous backend process left running.
 *
 * Restart policy: the engine has no resume hook and the job processes of a killed backend
 * are gone (or orphaned, writing nowhere), so an execution found Executing at start-up is
 * marked Failed — its running steps and jobs too — with a reason that says so; one found
 * Stopping is marked Stopped. Failing honestly beats a run that never ends: the watch
 * command sees a terminal state, and RetryPipelineExecution starts it again.
 */
import { EngineValidationError, type EnginePorts, type ExecutionHandle, type StartExecutionInput } from './engine/ports.js';
import { patchExecution, upsertStep, type StoredSteps } from './engine-host.js';
import type { Clock } from './clock.js';
import type { RecordStore } from './record-store.js';
import { Collections } from './sagemaker/context.js';
import { validation } from './service-error.js';

/** The engine's entry point; tests pass a scripted one. */
export type ExecutionRunner = (input: StartExecutionInput, ports: EnginePorts) => ExecutionHandle;

export const RESTART_FAILURE_REASON =
  'The local backend stopped while this execution was running; its processes did not survive. Retry the execution to run it again.';

export interface Executions {
  /** Hands an execution (already recorded as Executing) to the runner; throws ValidationException for invalid input. */
  start(input: StartExecutionInput): void;
  /** Asks a running execution to stop; Stopping is recorded before this returns. */
  stop(executionArn: string): void;
  /** Whether a runner is advancing this execution in this process. */
  isRunning(executionArn: string): boolean;
  /** Settles executions that were running when a previous backend process died. */
  recover(): void;
  /** Stops everything still running (bounded by `timeoutMs`), for a clean close. */
  stopAll(timeoutMs: number): Promise<void>;
}

const RUNNING = new Set(['Executing', 'Stopping']);

/** The execution manager over `runner` (undefined: executions stay Executing until stopped). */
export function createExecutions(records: RecordStore, clock: Clock, ports: EnginePorts, runner: ExecutionRunner | undefined): Executions {
  const handles = new Map<string, ExecutionHandle>();
  const nowSeconds = (): number => clock.now() / 1000;

  const settle = (executionArn: string, status: 'Failed' | 'Stopped', reason: string | undefined): void => {
    patchExecution(records, executionArn, {
      PipelineExecutionStatus: status,
      ...(reason === undefined ? {} : { FailureReason: reason }),
      LastModifiedTime: nowSeconds(),
    });
    const stored = records.get<StoredSteps>(Collections.steps, executionArn);
    for (const step of stored?.steps ?? []) {
      if (step['StepStatus'] === 'Starting' || step['StepStatus'] === 'Executing' || step['StepStatus'] === 'Stopping') {
        upsertStep(records, executionArn, {
          ...step,
          StepStatus: status,
          EndTime: nowSeconds(),
          ...(reason === undefined ? {} : { FailureReason: reason }),
        });
      }
    }
  };

  return {
    start(input) {
      if (runner === undefined) return;
      let handle: ExecutionHandle;
      try {
        handle = runner(input, ports);
      } catch (error) {
        if (error instanceof EngineValidationError) throw validation(error.message);
        throw error;
      }
      handles.set(input.executionArn, handle);
      // Only forget this run's handle: a retry may already have registered a newer one.
      void handle.done.finally(() => {
        if (handles.get(input.executionArn) === handle) handles.delete(input.executionArn);
      });
    },
    stop(executionArn) {
      patchExecution(records, executionArn, { PipelineExecutionStatus: 'Stopping', LastModifiedTime: nowSeconds() });
      const handle = handles.get(executionArn);
      if (handle === undefined) {
        // Nothing advances it in this process (no runner): stopping completes at once.
        settle(executionArn, 'Stopped', undefined);
        return;
      }
      void handle.stop();
    },
    isRunning: (executionArn) => handles.has(executionArn),
    recover() {
      for (const execution of records.list<Record<string, unknown>>(Collections.executions)) {
        const arn = String(execution['PipelineExecutionArn']);
        const status = String(execution['PipelineExecutionStatus']);
        if (!RUNNING.has(status) || handles.has(arn)) continue;
        if (status === 'Stopping') settle(arn, 'Stopped', undefined);
        else settle(arn, 'Failed', RESTART_FAILURE_REASON);
      }
      for (const kind of ['ProcessingJob', 'TrainingJob', 'TransformJob']) {
        for (const job of records.list<Record<string, unknown>>(Collections.resource(kind))) {
          const statusKey = `${kind}Status`;
          if (job[statusKey] !== 'InProgress' && job[statusKey] !== 'Stopping') continue;
          const id = String(job[`${kind}Name`]);
          const stopped = job[statusKey] === 'Stopping';
          records.put(Collections.resource(kind), id, {
            ...job,
            [statusKey]: stopped ? 'Stopped' : 'Failed',
            ...(kind === 'TrainingJob' ? { SecondaryStatus: stopped ? 'Stopped' : 'Failed' } : {}),
            ...(stopped ? {} : { FailureReason: RESTART_FAILURE_REASON }),
            LastModifiedTime: nowSeconds(),
          });
        }
      }
    },
    async stopAll(timeoutMs) {
      const pending = [...handles.values()].map((h) => h.stop());
      if (pending.length === 0) return;
      await Promise.race([Promise.allSettled(pending), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    },
  };
}
