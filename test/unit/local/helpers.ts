/** Shared set-up for the local backend's tests: temp state dirs, SDK clients, scripted runners. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { EngineValidationError, type EnginePorts, type ExecutionHandle, type ExecutionOutcome, type StartExecutionInput } from '../../../src/local/engine/ports.js';
import type { ExecutionRunner } from '../../../src/local/executions.js';

export const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A fresh temp directory and its remover. */
export function tempDir(prefix = 'smpk-local-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** SDK clients pointed at a local backend endpoint, with the SDK's standard retry settings unless overridden. */
export function clients(endpoint: string, maxAttempts?: number) {
  const common = { endpoint, region: 'us-east-1', credentials, ...(maxAttempts === undefined ? {} : { maxAttempts }) };
  return {
    sagemaker: new SageMakerClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
    runtime: new SageMakerRuntimeClient(common),
  };
}

/** A controllable clock: time moves only when the test says so. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export interface ScriptedRun {
  input: StartExecutionInput;
  ports: EnginePorts;
  /** Finishes the run the way the engine would: steps succeed (or fail) and the terminal status is written. */
  finish(outcome: ExecutionOutcome): Promise<void>;
}

/**
 * A stand-in for the engine with the same signature: on start it records a training step as
 * Executing, a TrainingJob resource and a log line, then waits for the test to finish or stop it.
 */
export function scriptedRunner(): { runner: ExecutionRunner; runs: ScriptedRun[] } {
  const runs: ScriptedRun[] = [];
  const runner: ExecutionRunner = (input, ports) => {
    // Like the engine, reject parameters the definition does not declare, synchronously.
    const unknown = input.parameters?.find((p) => p.Name !== 'Epochs');
    if (unknown !== undefined) throw new EngineValidationError(`Parameter '${unknown.Name}' is not defined by the pipeline.`);
    let resolveDone: (outcome: ExecutionOutcome) => void = () => undefined;
    const done = new Promise<ExecutionOutcome>((resolve) => {
      resolveDone = resolve;
    });
    const id = input.executionArn.split('/').pop() ?? 'x';
    const jobName = `pipelines-${id}-Train-abc`;
    const start = ports.clock.now();
    const started = (async () => {
      await ports.records.putStep(input.executionArn, { StepName: 'Prepare', StepStatus: 'Succeeded', StartTime: start, EndTime: start, AttemptCount: 1 });
      await ports.records.putStep(input.executionArn, {
        StepName: 'Train',
        StepStatus: 'Executing',
        StartTime: new Date(start.getTime() + 1000),
        AttemptCount: 1,
        Metadata: { TrainingJob: { Arn: `arn:aws:sagemaker:us-east-1:000000000000:training-job/${jobName.toLowerCase()}` } },
      });
      await ports.records.putResource('TrainingJob', jobName, {
        TrainingJobName: jobName,
        TrainingJobArn: `arn:aws:sagemaker:us-east-1:000000000000:training-job/${jobName.toLowerCase()}`,
        TrainingJobStatus: 'InProgress',
        SecondaryStatus: 'Training',
        ModelArtifacts: { S3ModelArtifacts: '' },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        CreationTime: start.getTime() / 1000,
      });
      ports.logs.append('/aws/sagemaker/TrainingJobs', `${jobName}/algo-1-1767225600`, { timestamp: start, message: 'epoch 1 loss=0.5' });
      ports.logs.append('/aws/sagemaker/TrainingJobs', `${jobName}/algo-1-1767225600`, { timestamp: start, message: 'Traceback: boom' });
    })();
    const finish = async (outcome: ExecutionOutcome): Promise<void> => {
      await started;
      const end = ports.clock.now();
      const stepStatus = outcome.status;
      await ports.records.putStep(input.executionArn, {
        StepName: 'Train',
        StepStatus: stepStatus,
        StartTime: new Date(start.getTime() + 1000),
        EndTime: end,
        AttemptCount: 1,
        ...(outcome.failureReason === undefined ? {} : { FailureReason: outcome.failureReason }),
      });
      await ports.records.updateExecution(input.executionArn, {
        PipelineExecutionStatus: outcome.status,
        LastModifiedTime: end,
        ...(outcome.failureReason === undefined ? {} : { FailureReason: outcome.failureReason }),
      });
      resolveDone(outcome);
    };
    runs.push({ input, ports, finish });
    const handle: ExecutionHandle = {
      done,
      async stop() {
        await ports.records.updateExecution(input.executionArn, { PipelineExecutionStatus: 'Stopping', LastModifiedTime: ports.clock.now() });
        await finish({ status: 'Stopped' });
        return done;
      },
    };
    return handle;
  };
  return { runner, runs };
}

/** A small but real pipeline definition (what the compiler emits, trimmed). */
export const definition = JSON.stringify({
  Version: '2020-12-01',
  Metadata: {},
  Parameters: [{ Name: 'Epochs', Type: 'Integer', DefaultValue: 1 }],
  PipelineExperimentConfig: { ExperimentName: { Get: 'Execution.PipelineName' }, TrialName: { Get: 'Execution.PipelineExecutionId' } },
  Steps: [{ Name: 'Prepare', Type: 'Processing', Arguments: {} }, { Name: 'Train', Type: 'Training', Arguments: {} }],
});

/** Polls `check` every 10 ms until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A ClientRequestToken from a readable label, padded to the 32 characters SageMaker requires at least. */
export function token(label: string): string {
  return label.padEnd(32, '-');
}
