/**
 * Thin typed calls to the SageMaker pipeline APIs. Each is one request (or one fully paginated
 * listing); retry policy and interpretation belong to ops/.
 */
import {
  DescribePipelineExecutionCommand,
  ListPipelineExecutionStepsCommand,
  StopPipelineExecutionCommand,
  type DescribePipelineExecutionCommandOutput,
  type PipelineExecutionStep,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

/** The subset of SageMakerClient the ops call (so tests can pass a mocked client). */
export type SageMakerPort = Pick<SageMakerClient, 'send'>;

export type ExecutionDescription = DescribePipelineExecutionCommandOutput;

/** DescribePipelineExecution. */
export async function describeExecution(client: SageMakerPort, executionArn: string): Promise<ExecutionDescription> {
  return client.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: executionArn }));
}

/**
 * Every step of an execution, all pages (the SDK's `list_steps()` reads only the first page).
 * Returns the steps and the number of API calls it took.
 */
export async function listAllExecutionSteps(
  client: SageMakerPort,
  executionArn: string,
  options: { firstPageOnly?: boolean } = {},
): Promise<{ steps: PipelineExecutionStep[]; calls: number; complete: boolean }> {
  const steps: PipelineExecutionStep[] = [];
  let nextToken: string | undefined;
  let calls = 0;
  do {
    // Newest first (the API's default order): the first page holds every recently started step.
    const page = await client.send(
      new ListPipelineExecutionStepsCommand({
        PipelineExecutionArn: executionArn,
        MaxResults: 100,
        SortOrder: 'Descending',
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    calls += 1;
    steps.push(...(page.PipelineExecutionSteps ?? []));
    nextToken = page.NextToken;
    if (options.firstPageOnly) break;
  } while (nextToken);
  return { steps, calls, complete: nextToken === undefined };
}

/** StopPipelineExecution with an idempotency token, so a repeated stop is harmless. */
export async function stopExecution(client: SageMakerPort, executionArn: string, clientRequestToken: string): Promise<void> {
  await client.send(new StopPipelineExecutionCommand({ PipelineExecutionArn: executionArn, ClientRequestToken: clientRequestToken }));
}

/** The SageMaker Studio/console page of an execution, for logs and summaries. */
export function executionConsoleUrl(executionArn: string): string | undefined {
  // arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>
  const m = /^arn:(aws[a-z-]*):sagemaker:([a-z0-9-]+):(\d{12}):pipeline\/([^/]+)\/execution\/([^/]+)$/.exec(executionArn);
  if (!m) return undefined;
  const [, partition, region, account, pipeline, id] = m;
  // 000000000000 is the placeholder account of local backends (ours, LocalStack): no console has it.
  if (account === '000000000000') return undefined;
  const host = partition === 'aws-cn' ? 'console.amazonaws.cn' : partition === 'aws-us-gov' ? 'console.amazonaws-us-gov.com' : 'console.aws.amazon.com';
  return `https://${region}.${host}/sagemaker/home?region=${region}#/pipelines/${encodeURIComponent(pipeline ?? '')}/executions/${encodeURIComponent(id ?? '')}`;
}
