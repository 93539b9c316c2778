/**
 * `run-pipeline`: stage → upsert → start → (watch). Reports each milestone the moment it happens,
 * so the execution ARN is known to CI before the wait begins.
 */
import type { AwsClients } from '../aws/clients.js';
import { executionConsoleUrl } from '../aws/sagemaker.js';
import type { CompileResult } from '../compiler/types.js';
import type { Clock } from './clock.js';
import { stageAssets, type StageResult } from './stage.js';
import { clientRequestToken, executionDisplayName, startExecution, type RunOrigin } from './start.js';
import { upsertPipeline, type UpsertResult } from './upsert.js';
import { watchExecution, type WatchReporter, type WatchResult } from './watch.js';

export interface RunReporter extends WatchReporter {
  staged?(result: StageResult): void;
  upserted?(result: UpsertResult): void;
  started?(executionArn: string, consoleUrl: string | undefined, pipelineArn: string): void;
}

export interface RunPipelineInput {
  compiled: Required<Pick<CompileResult, 'definitionJson' | 'pipeline' | 'assets' | 'requiresS3Upload'>>;
  parameters: { Name: string; Value: string }[];
  origin: RunOrigin;
  wait: boolean;
  deadline?: number;
  signal?: AbortSignal;
  parallelism?: number;
  selective?: { sourceExecutionArn: string; steps: string[] };
  intervalMs?: number;
}

export interface RunPipelineResult {
  pipelineArn: string;
  executionArn: string;
  stage: StageResult;
  upsert: UpsertResult;
  watch?: WatchResult;
}

export interface RunPipelineDeps {
  clients: Pick<AwsClients, 'sagemaker' | 's3'>;
  clock: Clock;
  random: () => number;
  uuid: () => string;
  reporter?: RunReporter;
}

/** Runs a compiled pipeline on SageMaker (or whatever AWS_ENDPOINT_URL points at). */
export async function runPipeline(input: RunPipelineInput, deps: RunPipelineDeps): Promise<RunPipelineResult> {
  const { compiled, origin } = input;
  const p = compiled.pipeline;
  const stage = await stageAssets(
    deps.clients.s3,
    compiled.assets,
    compiled.requiresS3Upload
      ? { json: compiled.definitionJson, bucket: p.bucket, keyPrefix: [p.bucketPrefix, p.name, 'definitions'].filter(Boolean).join('/') }
      : undefined,
  );
  deps.reporter?.staged?.(stage);
  const upsert = await upsertPipeline(
    deps.clients.sagemaker,
    {
      name: p.name,
      roleArn: p.roleArn,
      definitionJson: compiled.definitionJson,
      tags: p.tags,
      ...(p.displayName ? { displayName: p.displayName } : {}),
      ...(p.description ? { description: p.description } : {}),
      ...(p.parallelism ? { parallelism: p.parallelism } : {}),
      ...(stage.definition ? { definitionS3: stage.definition } : {}),
    },
    origin,
  );
  deps.reporter?.upserted?.(upsert);
  const token = clientRequestToken(p.name, origin, deps.uuid);
  const executionArn = await startExecution(deps.clients.sagemaker, {
    pipelineName: p.name,
    parameters: input.parameters,
    clientRequestToken: token,
    displayName: executionDisplayName(origin.runId ? 'ci' : 'smpk', origin.commit),
    ...(origin.runUrl ? { description: `Started by ${origin.runUrl}` } : {}),
    ...(input.parallelism ? { parallelism: input.parallelism } : {}),
    ...(input.selective ? { selective: input.selective } : {}),
  });
  deps.reporter?.started?.(executionArn, executionConsoleUrl(executionArn), upsert.pipelineArn);
  const result: RunPipelineResult = { pipelineArn: upsert.pipelineArn, executionArn, stage, upsert };
  if (!input.wait) return result;
  result.watch = await watchExecution(
    {
      executionArn,
      stopToken: `${token.slice(0, 56)}-stop`,
      ...(input.deadline !== undefined ? { deadline: input.deadline } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.intervalMs !== undefined ? { intervalMs: input.intervalMs } : {}),
    },
    { sagemaker: deps.clients.sagemaker, clock: deps.clock, random: deps.random, ...(deps.reporter ? { reporter: deps.reporter } : {}) },
  );
  return result;
}
