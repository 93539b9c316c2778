/**
 * `watch`: follow a pipeline execution to its end. One DescribePipelineExecution per poll; the
 * step list only when the execution changed (usually just its newest page) or every
 * `stepRefreshEvery` polls as a safety net, so a long run costs about two calls a minute. Every status is classified; a
 * cancelled CI job stops the execution before the process exits.
 */
import type { PipelineExecutionStep } from '@aws-sdk/client-sagemaker';
import { describeExecution, listAllExecutionSteps, stopExecution, type ExecutionDescription, type SageMakerPort } from '../aws/sagemaker.js';
import type { Clock } from './clock.js';
import { defaultPollSettings, poll, type PollSettings } from './poller.js';

/** Statuses after which nothing changes any more. */
export const TERMINAL_EXECUTION_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped']);
/** Step statuses after which a step no longer changes. */
export const TERMINAL_STEP_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped']);
/** Statuses during which the execution still runs (Stopping ends in Stopped). */
export const RUNNING_EXECUTION_STATUSES = new Set(['Executing', 'Stopping']);

export interface StepSummary {
  name: string;
  displayName?: string;
  status: string;
  startTime?: Date;
  endTime?: Date;
  durationSeconds?: number;
  /** ARN of the execution whose result was reused, when the step was a cache hit. */
  cacheHitSource?: string;
  attempts?: number;
  failureReason?: string;
  /** ARN of the job the step ran (processing, training, transform, tuning…), if any. */
  jobArn?: string;
  /** Kind of that job, e.g. ProcessingJob — it names the CloudWatch log group. */
  jobKind?: string;
}

export type WatchOutcome = 'succeeded' | 'failed' | 'stopped' | 'deadline' | 'cancelled';

export interface WatchResult {
  outcome: WatchOutcome;
  executionArn: string;
  status?: string;
  failureReason?: string;
  steps: StepSummary[];
  /** SageMaker API calls made while watching (for the benchmark and the summary). */
  apiCalls: number;
}

/** What the watch reports as it goes; the platform decides how it looks. */
export interface WatchReporter {
  status?(status: string, description: ExecutionDescription): void;
  stepChanged?(step: StepSummary, previousStatus: string | undefined): void;
  retrying?(message: string): void;
  unknownStatus?(status: string): void;
  stopping?(executionArn: string): void;
}

export interface WatchOptions {
  executionArn: string;
  intervalMs?: number;
  /** Absolute deadline (Clock.now() ms). */
  deadline?: number;
  /** Full step listing every N polls even when nothing seems to change. */
  stepRefreshEvery?: number;
  /** Abort to cancel (job cancelled); with `stopOnCancel`, the execution is stopped first. */
  signal?: AbortSignal;
  stopOnCancel?: boolean;
  /** Idempotency token for StopPipelineExecution. */
  stopToken?: string;
}

export interface WatchDeps {
  sagemaker: SageMakerPort;
  clock: Clock;
  random: () => number;
  reporter?: WatchReporter;
}

const JOB_KINDS = ['ProcessingJob', 'TrainingJob', 'TransformJob', 'TuningJob', 'AutoMLJob', 'EMR', 'Lambda', 'Callback', 'QualityCheck', 'ClarifyCheck', 'Model', 'RegisterModel'] as const;

/** Flattens one ListPipelineExecutionSteps entry into what summaries show. */
export function summarizeStep(step: PipelineExecutionStep): StepSummary {
  const meta = (step.Metadata ?? {}) as Record<string, { Arn?: string } | undefined>;
  const kind = JOB_KINDS.find((k) => meta[k]?.Arn);
  const start = step.StartTime;
  const end = step.EndTime;
  return {
    name: step.StepName ?? '?',
    ...(step.StepDisplayName ? { displayName: step.StepDisplayName } : {}),
    status: step.StepStatus ?? 'Unknown',
    ...(start ? { startTime: start } : {}),
    ...(end ? { endTime: end } : {}),
    ...(start && end ? { durationSeconds: Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000)) } : {}),
    ...(step.CacheHitResult?.SourcePipelineExecutionArn ? { cacheHitSource: step.CacheHitResult.SourcePipelineExecutionArn } : {}),
    ...(step.AttemptCount !== undefined ? { attempts: step.AttemptCount } : {}),
    ...(step.FailureReason ? { failureReason: step.FailureReason } : {}),
    ...(kind ? { jobKind: kind, jobArn: meta[kind]?.Arn as string } : {}),
  };
}

function outcomeOf(status: string | undefined): WatchOutcome {
  if (status === 'Succeeded') return 'succeeded';
  if (status === 'Stopped') return 'stopped';
  return 'failed';
}

/** Watches an execution until it ends, the deadline passes or the job is cancelled. */
export async function watchExecution(options: WatchOptions, deps: WatchDeps): Promise<WatchResult> {
  const { sagemaker, clock, reporter } = deps;
  const refreshEvery = options.stepRefreshEvery ?? 10;
  let apiCalls = 0;
  let pollsSinceListing = 0;
  let listingPending = false;
  let lastStatus: string | undefined;
  let lastModified: number | undefined;
  let failureReason: string | undefined;
  const steps = new Map<string, StepSummary>();
  const warnedStatuses = new Set<string>();

  /**
   * Refreshes the step view. Incremental by default: the first page (newest first) is enough
   * unless a step we last saw running is not on it — only then are the other pages read.
   */
  const refreshSteps = async (full: boolean) => {
    let listed = await listAllExecutionSteps(sagemaker, options.executionArn, { firstPageOnly: !full });
    apiCalls += listed.calls;
    if (!listed.complete) {
      const onPage = new Set(listed.steps.map((s) => s.StepName));
      const missingRunning = [...steps.values()].some((s) => !onPage.has(s.name) && !TERMINAL_STEP_STATUSES.has(s.status));
      if (missingRunning) {
        listed = await listAllExecutionSteps(sagemaker, options.executionArn);
        apiCalls += listed.calls;
      }
    }
    for (const raw of [...listed.steps].reverse()) {
      const step = summarizeStep(raw);
      const previous = steps.get(step.name);
      steps.set(step.name, step);
      if (previous?.status !== step.status) reporter?.stepChanged?.(step, previous?.status);
    }
    pollsSinceListing = 0;
  };

  const settings: PollSettings = {
    ...defaultPollSettings,
    intervalMs: options.intervalMs ?? defaultPollSettings.intervalMs,
    random: deps.random,
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };

  const outcome = await poll<ExecutionDescription>(
    {
      probe: async () => {
        apiCalls += 1;
        return describeExecution(sagemaker, options.executionArn);
      },
      isDone: (d) => TERMINAL_EXECUTION_STATUSES.has(d.PipelineExecutionStatus ?? ''),
      onValue: async (d) => {
        pollsSinceListing += 1;
        const status = d.PipelineExecutionStatus ?? 'Unknown';
        const modified = d.LastModifiedTime?.getTime();
        const changed = status !== lastStatus || modified !== lastModified;
        if (status !== lastStatus) reporter?.status?.(status, d);
        if (!TERMINAL_EXECUTION_STATUSES.has(status) && !RUNNING_EXECUTION_STATUSES.has(status) && !warnedStatuses.has(status)) {
          // A status this kit does not know: keep watching (it is not terminal as far as we know) but say so.
          warnedStatuses.add(status);
          reporter?.unknownStatus?.(status);
        }
        lastStatus = status;
        lastModified = modified;
        failureReason = d.FailureReason ?? failureReason;
        const terminal = TERMINAL_EXECUTION_STATUSES.has(status);
        // A change is listed at most every other poll (changes that come in bursts share one
        // listing); a listing every `refreshEvery` polls is the safety net in case LastModifiedTime
        // does not move with step transitions, and the end gets a complete one.
        listingPending ||= changed;
        if (terminal || pollsSinceListing >= refreshEvery) {
          // Only the final listing must be complete; the periodic one is incremental like the rest.
          await refreshSteps(terminal);
          listingPending = false;
        } else if (listingPending && (pollsSinceListing >= 2 || steps.size === 0)) {
          // The first listing is complete: until then we cannot know which old steps still run.
          await refreshSteps(steps.size === 0);
          listingPending = false;
        }
      },
      onRetry: (error, delayMs, throttled) =>
        reporter?.retrying?.(
          `${throttled ? 'throttled by SageMaker' : `transient error (${error instanceof Error ? error.name : 'error'})`}; next poll in ${Math.round(delayMs / 1000)} s`,
        ),
    },
    settings,
    clock,
  );

  const result = (kind: WatchOutcome): WatchResult => ({
    outcome: kind,
    executionArn: options.executionArn,
    ...(lastStatus ? { status: lastStatus } : {}),
    ...(failureReason ? { failureReason } : {}),
    steps: [...steps.values()].sort((a, b) => (a.startTime?.getTime() ?? Infinity) - (b.startTime?.getTime() ?? Infinity)),
    apiCalls,
  });

  if (outcome.kind === 'done') return result(outcomeOf(outcome.value.PipelineExecutionStatus));
  if (outcome.kind === 'deadline') return result('deadline');
  // Cancelled: the CI job is going away. Stop the execution now — GitHub allows ~7.5 s before SIGTERM.
  if (options.stopOnCancel !== false && !TERMINAL_EXECUTION_STATUSES.has(lastStatus ?? '')) {
    reporter?.stopping?.(options.executionArn);
    apiCalls += 1;
    try {
      await stopExecution(sagemaker, options.executionArn, options.stopToken ?? `smpk-stop-${options.executionArn.split('/').pop() ?? 'x'}`);
    } catch (error) {
      // It may have ended between our last poll and the stop; that is not a failure of the stop.
      reporter?.retrying?.(`could not stop ${options.executionArn}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }
  return result('cancelled');
}
