/**
 * Starting an execution idempotently: the ClientRequestToken is derived from (pipeline, commit,
 * CI run, attempt), so a retried CI job gets the execution it already started instead of a second one.
 */
import { createHash } from 'node:crypto';
import { StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import type { SageMakerPort } from '../aws/sagemaker.js';

/** Where a run comes from; every field optional outside CI. */
export interface RunOrigin {
  commit?: string;
  /** CI run identity, e.g. GitHub `${GITHUB_RUN_ID}` or GitLab `${CI_PIPELINE_ID}-${CI_JOB_ID}`. */
  runId?: string;
  /** Attempt number of the run (GitHub re-runs keep the run id and bump the attempt). */
  runAttempt?: string;
  runUrl?: string;
  repository?: string;
}

/**
 * The token: sha256 over the identifying parts, 64 hex characters (the API takes 32–128).
 * Without a CI run id there is nothing to be idempotent about, so a fresh token is used each time —
 * otherwise two manual `smpk run`s of the same commit would silently return the first execution.
 */
export function clientRequestToken(pipelineName: string, origin: RunOrigin, fresh: () => string): string {
  if (!origin.runId) return createHash('sha256').update(`smpk:${pipelineName}:${fresh()}`).digest('hex');
  return createHash('sha256')
    .update(['smpk-start-v1', pipelineName, origin.commit ?? '', origin.runId, origin.runAttempt ?? '1'].join('\u0000'))
    .digest('hex');
}

export interface StartRequest {
  pipelineName: string;
  parameters: { Name: string; Value: string }[];
  clientRequestToken: string;
  displayName?: string;
  description?: string;
  parallelism?: number;
  /** Selective execution: re-run these steps, reusing the rest from a previous execution. */
  selective?: { sourceExecutionArn: string; steps: string[] };
}

/** StartPipelineExecution; returns the execution ARN (the same one again for a repeated token). */
export async function startExecution(client: SageMakerPort, request: StartRequest): Promise<string> {
  const out = await client.send(
    new StartPipelineExecutionCommand({
      PipelineName: request.pipelineName,
      ClientRequestToken: request.clientRequestToken,
      ...(request.parameters.length ? { PipelineParameters: request.parameters } : {}),
      ...(request.displayName ? { PipelineExecutionDisplayName: request.displayName } : {}),
      ...(request.description ? { PipelineExecutionDescription: request.description } : {}),
      ...(request.parallelism ? { ParallelismConfiguration: { MaxParallelExecutionSteps: request.parallelism } } : {}),
      ...(request.selective
        ? {
            SelectiveExecutionConfig: {
              SourcePipelineExecutionArn: request.selective.sourceExecutionArn,
              SelectedSteps: request.selective.steps.map((StepName) => ({ StepName })),
            },
          }
        : {}),
    }),
  );
  if (!out.PipelineExecutionArn) throw new Error('StartPipelineExecution returned no execution ARN');
  return out.PipelineExecutionArn;
}

/**
 * An execution display name from the commit: SageMaker allows `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,81}`,
 * so everything else in (untrusted) commit text is dropped rather than sent.
 */
export function executionDisplayName(prefix: string, commit?: string): string {
  const raw = `${prefix}-${(commit ?? 'manual').slice(0, 12)}`;
  const cleaned = raw.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/^-+|-+$/g, '').replace(/-{2,}/g, '-');
  return (cleaned || 'smpk').slice(0, 82).replace(/-+$/, '');
}
