/**
 * `codebuild`: run the kit's work inside an AWS CodeBuild project (for accounts where SageMaker is
 * reachable only from a VPC) and stream the build's logs back into the CI job. Fixes what users of
 * aws-codebuild-run-build hit: the build id is reported at once, every terminal status is handled,
 * a cancelled job stops the build, throttling backs off without dropping settings, and logs are
 * drained after the build ends (two consecutive empty pages) so the tail is never lost.
 */
import type { Build, EnvironmentVariable } from '@aws-sdk/client-codebuild';
import { isNotFound, isRetryable } from '../aws/errors.js';
import { describeBuild, readLogPage, startBuild, stopBuild, type CodeBuildPort } from '../aws/codebuild.js';
import type { LogsPort } from '../aws/logs.js';
import type { Clock } from './clock.js';
import { defaultPollSettings, poll } from './poller.js';

export const TERMINAL_BUILD_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED']);

/** CI variables passed into the build by default: identity of the run only, never secrets. */
export const PASSTHROUGH_VARIABLES = [
  'GITHUB_SHA', 'GITHUB_REF', 'GITHUB_REF_NAME', 'GITHUB_REPOSITORY', 'GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT', 'GITHUB_SERVER_URL', 'GITHUB_EVENT_NAME', 'GITHUB_ACTOR',
  'CI_COMMIT_SHA', 'CI_COMMIT_REF_NAME', 'CI_PROJECT_PATH', 'CI_PIPELINE_ID', 'CI_JOB_ID', 'CI_JOB_URL', 'CI_MERGE_REQUEST_IID',
] as const;

export interface CodeBuildRequest {
  projectName: string;
  sourceVersion?: string;
  /** Extra variables (`--env K=V`), passed as PLAINTEXT: never put secrets here; use parameter-store variables in the project. */
  env: Record<string, string>;
  /** Buildspec text overriding the project's. */
  buildspec?: string;
  /** Absolute deadline for the wait. */
  deadline?: number;
  signal?: AbortSignal;
  intervalMs?: number;
  hideLogs?: boolean;
}

export interface CodeBuildResult {
  outcome: 'succeeded' | 'failed' | 'stopped' | 'timed-out' | 'deadline' | 'cancelled';
  buildId: string;
  status?: string;
  /** The phase that failed and its message, when CodeBuild gives one. */
  failure?: string;
  logLines: number;
  apiCalls: number;
}

export interface CodeBuildReporter {
  started?(build: Build): void;
  log?(line: string): void;
  status?(status: string): void;
  retrying?(message: string): void;
  stopping?(buildId: string): void;
}

export interface CodeBuildDeps {
  codebuild: CodeBuildPort;
  logs: LogsPort;
  clock: Clock;
  random: () => number;
  env: Readonly<Record<string, string | undefined>>;
  reporter?: CodeBuildReporter;
}

/** The environment override: allow-listed CI variables, then the explicit ones. */
export function buildEnvironment(env: Readonly<Record<string, string | undefined>>, extra: Record<string, string>): EnvironmentVariable[] {
  const vars = new Map<string, string>();
  for (const name of PASSTHROUGH_VARIABLES) {
    const v = env[name];
    if (v !== undefined) vars.set(name, v);
  }
  for (const [k, v] of Object.entries(extra)) vars.set(k, v);
  return [...vars].map(([name, value]) => ({ name, value, type: 'PLAINTEXT' }));
}

function failureOf(build: Build): string | undefined {
  const phase = (build.phases ?? []).find((p) => p.phaseStatus && p.phaseStatus !== 'SUCCEEDED' && p.phaseStatus !== 'IN_PROGRESS');
  if (!phase) return undefined;
  const context = (phase.contexts ?? []).map((c) => c.message).filter(Boolean).join('; ');
  return `${phase.phaseType ?? 'phase'} ${phase.phaseStatus}${context ? `: ${context}` : ''}`;
}

function outcomeOf(status: string | undefined): CodeBuildResult['outcome'] {
  switch (status) {
    case 'SUCCEEDED':
      return 'succeeded';
    case 'STOPPED':
      return 'stopped';
    case 'TIMED_OUT':
      return 'timed-out';
    default:
      return 'failed'; // FAILED and FAULT
  }
}

/** Starts the build and follows it (and its logs) to the end. */
export async function runCodeBuild(request: CodeBuildRequest, deps: CodeBuildDeps): Promise<CodeBuildResult> {
  let apiCalls = 1;
  const started = await startBuild(deps.codebuild, {
    projectName: request.projectName,
    ...(request.sourceVersion ? { sourceVersion: request.sourceVersion } : {}),
    ...(request.buildspec ? { buildspecOverride: request.buildspec } : {}),
    environmentVariablesOverride: buildEnvironment(deps.env, request.env),
  });
  const buildId = started.id as string;
  deps.reporter?.started?.(started);

  let logToken: string | undefined;
  let logLines = 0;
  let lastStatus: string | undefined;
  const pump = async (build: Build): Promise<number> => {
    const group = build.logs?.groupName;
    const stream = build.logs?.streamName;
    if (request.hideLogs || !group || !stream) return 0;
    try {
      const page = await readLogPage(deps.logs, group, stream, logToken);
      apiCalls += 1;
      logToken = page.token;
      for (const line of page.lines) deps.reporter?.log?.(line);
      logLines += page.lines.length;
      return page.lines.length;
    } catch (error) {
      // The stream appears a little after the build starts; a missing stream is not an error yet.
      if (isNotFound(error, 'GetLogEvents') || isRetryable(error)) return 0;
      throw error;
    }
  };

  const outcome = await poll<Build>(
    {
      probe: async () => {
        apiCalls += 1;
        return describeBuild(deps.codebuild, buildId);
      },
      isDone: (b) => TERMINAL_BUILD_STATUSES.has(b.buildStatus ?? ''),
      onValue: async (b) => {
        if (b.buildStatus !== lastStatus) deps.reporter?.status?.(b.buildStatus ?? 'UNKNOWN');
        lastStatus = b.buildStatus;
        await pump(b);
      },
      onRetry: (error, ms, throttled) => deps.reporter?.retrying?.(`${throttled ? 'throttled by CodeBuild' : `transient error (${error instanceof Error ? error.name : 'error'})`}; next poll in ${Math.round(ms / 1000)} s`),
    },
    {
      ...defaultPollSettings,
      intervalMs: request.intervalMs ?? 10_000,
      random: deps.random,
      ...(request.deadline !== undefined ? { deadline: request.deadline } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    },
    deps.clock,
  );

  if (outcome.kind === 'done') {
    // Drain: CloudWatch delivers the last lines after the build reports its end. Stop after two
    // consecutive empty pages (bounded, so a stuck stream cannot hold the job forever).
    let empty = 0;
    for (let i = 0; i < 30 && empty < 2; i++) {
      const n = await pump(outcome.value);
      empty = n === 0 ? empty + 1 : 0;
      if (empty < 2) await deps.clock.sleep(2_000);
    }
    const failure = failureOf(outcome.value);
    return { outcome: outcomeOf(outcome.value.buildStatus), buildId, status: outcome.value.buildStatus as string, ...(failure ? { failure } : {}), logLines, apiCalls };
  }
  if (outcome.kind === 'deadline') return { outcome: 'deadline', buildId, ...(lastStatus ? { status: lastStatus } : {}), logLines, apiCalls };
  deps.reporter?.stopping?.(buildId);
  try {
    await stopBuild(deps.codebuild, buildId);
    apiCalls += 1;
  } catch (error) {
    deps.reporter?.retrying?.(`could not stop build ${buildId}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { outcome: 'cancelled', buildId, ...(lastStatus ? { status: lastStatus } : {}), logLines, apiCalls };
}
