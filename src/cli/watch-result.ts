/** Printing a finished (or interrupted) watch and turning it into the kit's exit code. */
import type { AwsClients } from '../aws/clients.js';
import { jobLogTail, jobLogUrl, jobName } from '../aws/logs.js';
import { ExitCode } from '../exit-codes.js';
import type { WatchResult } from '../ops/watch.js';
import { renderStepTable } from '../platform/progress.js';
import type { CliContext } from './context.js';

/** Exit code for a watch outcome: 0 succeeded, 1 failed/stopped/cancelled, 4 deadline (still running). */
export function exitCodeFor(result: WatchResult): number {
  switch (result.outcome) {
    case 'succeeded':
      return ExitCode.Success;
    case 'deadline':
      return ExitCode.TimedOut;
    default:
      return ExitCode.RemoteFailed;
  }
}

/** Prints the step table, failed jobs' log tails, and what to do next. */
export async function reportWatchResult(ctx: CliContext, result: WatchResult, clients: Pick<AwsClients, 'logs' | 'sagemaker'>, region: string): Promise<number> {
  ctx.output.out(`\n${renderStepTable(result.steps)}(${result.apiCalls} SageMaker API call${result.apiCalls === 1 ? '' : 's'} while watching)\n`);
  for (const step of result.steps.filter((s) => s.status === 'Failed' && s.jobArn && s.jobKind)) {
    const name = await jobName(clients.sagemaker, step.jobKind as string, step.jobArn as string);
    const url = jobLogUrl(region, step.jobKind as string, name);
    const tail = await jobLogTail(clients.logs, step.jobKind as string, name);
    ctx.output.out(`\n${step.name} failed${url ? ` — logs: ${url}` : ''}\n`);
    if (tail?.length) ctx.output.out(`last ${tail.length} log lines of ${step.name}:\n${tail.map((l) => `  | ${l}`).join('\n')}\n`);
  }
  switch (result.outcome) {
    case 'succeeded':
      ctx.output.out(`\nExecution succeeded: ${result.executionArn}\n`);
      break;
    case 'failed':
      ctx.output.err(`\nExecution failed: ${result.failureReason ?? 'no reason given'}\n`);
      break;
    case 'stopped':
      ctx.output.err(`\nExecution was stopped: ${result.executionArn}\n`);
      break;
    case 'deadline':
      ctx.output.err(
        `\nStopped waiting; the execution is still ${result.status ?? 'running'}. Resume with:\n  smpk watch ${result.executionArn}\n`,
      );
      break;
    case 'cancelled':
      ctx.output.err(`\nCancelled; stop requested for ${result.executionArn}\n`);
      break;
  }
  return exitCodeFor(result);
}
