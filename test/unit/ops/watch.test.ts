import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  SageMakerClient,
  StopPipelineExecutionCommand,
  type DescribePipelineExecutionCommandOutput,
  type PipelineExecutionStep,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../src/ops/clock.js';
import { watchExecution, type StepSummary } from '../../../src/ops/watch.js';

const ARN = 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/abalone/execution/abc123';
const sm = mockClient(SageMakerClient);
afterEach(() => sm.reset());

const described = (status: string, modified: number, reason?: string): DescribePipelineExecutionCommandOutput => ({
  $metadata: {},
  PipelineExecutionArn: ARN,
  PipelineExecutionStatus: status as never,
  LastModifiedTime: new Date(modified),
  ...(reason ? { FailureReason: reason } : {}),
});
const step = (name: string, status: string, extra: Partial<PipelineExecutionStep> = {}): PipelineExecutionStep => ({
  StepName: name,
  StepStatus: status as never,
  ...extra,
});
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

function run(options: Partial<Parameters<typeof watchExecution>[0]> = {}) {
  const transitions: string[] = [];
  const clock = virtualClock(0);
  const promise = watchExecution(
    { executionArn: ARN, ...options },
    {
      sagemaker: new SageMakerClient({}),
      clock,
      random: () => 0.5,
      reporter: { stepChanged: (s: StepSummary, prev) => transitions.push(`${s.name}:${prev ?? '-'}→${s.status}`) },
    },
  );
  return { promise, transitions, clock };
}

describe('watchExecution', () => {
  it('follows an execution to Succeeded, listing steps only when something changed', async () => {
    sm.on(DescribePipelineExecutionCommand)
      .resolvesOnce(described('Executing', 1))
      .resolvesOnce(described('Executing', 1))
      .resolvesOnce(described('Executing', 2))
      .resolves(described('Succeeded', 3));
    sm.on(ListPipelineExecutionStepsCommand)
      .resolvesOnce({ PipelineExecutionSteps: [step('Preprocess', 'Executing')] })
      // The API lists newest first.
      .resolvesOnce({ PipelineExecutionSteps: [step('Train', 'Executing'), step('Preprocess', 'Succeeded')] })
      .resolves({
        PipelineExecutionSteps: [
          step('Train', 'Succeeded', { StartTime: new Date(90_000), Metadata: { TrainingJob: { Arn: 'arn:aws:sagemaker:us-east-1:111122223333:training-job/pipelines-abc-train' } }, AttemptCount: 2 }),
          step('Preprocess', 'Succeeded', { StartTime: new Date(0), EndTime: new Date(90_000), CacheHitResult: { SourcePipelineExecutionArn: 'arn:old' } }),
        ],
      });
    const { promise, transitions } = run({ stepRefreshEvery: 100 });
    const result = await promise;
    expect(result.outcome).toBe('succeeded');
    expect(transitions).toEqual(['Preprocess:-→Executing', 'Preprocess:Executing→Succeeded', 'Train:-→Executing', 'Train:Executing→Succeeded']);
    // 4 describes + 3 listings (first poll, the LastModifiedTime change, the end) — not one per poll.
    expect(sm.commandCalls(DescribePipelineExecutionCommand)).toHaveLength(4);
    expect(sm.commandCalls(ListPipelineExecutionStepsCommand)).toHaveLength(3);
    expect(result.apiCalls).toBe(7);
    const preprocess = result.steps.find((s) => s.name === 'Preprocess');
    expect(preprocess).toMatchObject({ durationSeconds: 90, cacheHitSource: 'arn:old' });
    expect(result.steps.find((s) => s.name === 'Train')).toMatchObject({ jobKind: 'TrainingJob', attempts: 2 });
  });

  it('reads every page of the step list', async () => {
    sm.on(DescribePipelineExecutionCommand).resolves(described('Succeeded', 1));
    sm.on(ListPipelineExecutionStepsCommand)
      .resolvesOnce({ PipelineExecutionSteps: [step('C', 'Succeeded', { StartTime: new Date(3) })], NextToken: 't1' })
      .resolvesOnce({ PipelineExecutionSteps: [step('B', 'Succeeded', { StartTime: new Date(2) })], NextToken: 't2' })
      .resolves({ PipelineExecutionSteps: [step('A', 'Succeeded', { StartTime: new Date(1) })] });
    const result = await run().promise;
    expect(result.steps.map((s) => s.name)).toEqual(['A', 'B', 'C']);
    expect(sm.commandCalls(ListPipelineExecutionStepsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 't1', 't2']);
  });

  it.each([
    ['Failed', 'failed'],
    ['Stopped', 'stopped'],
  ])('treats %s as terminal (%s), never as still running', async (status, outcome) => {
    sm.on(DescribePipelineExecutionCommand).resolvesOnce(described('Executing', 1)).resolves(described(status, 2, 'Step Train failed'));
    sm.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [step('Train', status === 'Failed' ? 'Failed' : 'Stopped', { FailureReason: 'AlgorithmError: boom' })] });
    const result = await run().promise;
    expect(result.outcome).toBe(outcome);
    expect(result.failureReason).toBe('Step Train failed');
    expect(result.steps[0]?.failureReason).toBe('AlgorithmError: boom');
  });

  it('reads only the newest page while every running step is on it, all pages when one is not', async () => {
    sm.on(DescribePipelineExecutionCommand)
      .resolvesOnce(described('Executing', 1))
      .resolvesOnce(described('Executing', 2))
      .resolvesOnce(described('Executing', 3))
      .resolvesOnce(described('Executing', 4))
      .resolves(described('Succeeded', 5));
    const page1 = { PipelineExecutionSteps: [step('New', 'Executing', { StartTime: new Date(5) })], NextToken: 'p2' };
    const page2 = { PipelineExecutionSteps: [step('Old', 'Executing', { StartTime: new Date(1) })] };
    const page2Done = { PipelineExecutionSteps: [step('Old', 'Succeeded', { StartTime: new Date(1) })] };
    sm.on(ListPipelineExecutionStepsCommand, { NextToken: undefined }).resolves(page1);
    sm.on(ListPipelineExecutionStepsCommand, { NextToken: 'p2' }).resolvesOnce(page2).resolves(page2Done);
    const { promise, transitions } = run({ stepRefreshEvery: 100 });
    const result = await promise;
    // 'Old' was running and is not on the newest page, so each listing had to read page 2 as well.
    expect(transitions).toEqual(['Old:-→Executing', 'New:-→Executing', 'Old:Executing→Succeeded']);
    expect(result.steps.map((s) => s.name)).toEqual(['Old', 'New']);
  });

  it('keeps watching through throttling', async () => {
    sm.on(DescribePipelineExecutionCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolvesOnce(described('Executing', 1))
      .resolves(described('Succeeded', 2));
    sm.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [] });
    const { promise, clock } = run();
    expect((await promise).outcome).toBe('succeeded');
    expect(clock.slept[0]).toBeGreaterThan(30_000);
  });

  it('returns deadline with the last status when the run outlives the wait', async () => {
    sm.on(DescribePipelineExecutionCommand).resolves(described('Executing', 1));
    sm.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [step('Train', 'Executing')] });
    const result = await run({ deadline: 5 * 60_000 }).promise;
    expect(result.outcome).toBe('deadline');
    expect(result.status).toBe('Executing');
    expect(sm.commandCalls(StopPipelineExecutionCommand)).toHaveLength(0);
  });

  it('stops the execution when the job is cancelled', async () => {
    const controller = new AbortController();
    sm.on(DescribePipelineExecutionCommand).callsFake(async () => {
      controller.abort(); // the CI job is cancelled while the execution runs
      return described('Executing', 1);
    });
    sm.on(ListPipelineExecutionStepsCommand).resolves({ PipelineExecutionSteps: [] });
    sm.on(StopPipelineExecutionCommand).resolves({ PipelineExecutionArn: ARN });
    const result = await run({ signal: controller.signal, stopToken: 'tok-123' }).promise;
    expect(result.outcome).toBe('cancelled');
    const stops = sm.commandCalls(StopPipelineExecutionCommand);
    expect(stops).toHaveLength(1);
    expect(stops[0]?.args[0].input).toEqual({ PipelineExecutionArn: ARN, ClientRequestToken: 'tok-123' });
  });

  it('does not stop on cancel when told not to', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await run({ signal: controller.signal, stopOnCancel: false }).promise;
    expect(result.outcome).toBe('cancelled');
    expect(sm.commandCalls(StopPipelineExecutionCommand)).toHaveLength(0);
  });
});
