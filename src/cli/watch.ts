/** `smpk watch <execution-arn>` and `smpk stop <execution-arn>`: resume watching, or stop. */
import { resolveRegion } from '../aws/clients.js';
import { stopExecution } from '../aws/sagemaker.js';
import { ExitCode } from '../exit-codes.js';
import { watchExecution } from '../ops/watch.js';
import { terminalWatchReporter } from '../platform/progress.js';
import type { CliContext } from './context.js';
import { deadlineFrom } from './spec-input.js';
import { parseCommand, UsageError } from './usage.js';
import { reportWatchResult } from './watch-result.js';

const EXECUTION_ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):\d{12}:pipeline\/[^/]+\/execution\/[^/]+$/;

export const watchUsage = `Usage: smpk watch <execution-arn> [--timeout-minutes N] [--no-stop-on-cancel]

Follows a running (or finished) execution to its end — e.g. one started with --no-wait, or one a
previous CI job stopped waiting for. Exit codes as for smpk run.`;

export const stopUsage = `Usage: smpk stop <execution-arn>

Asks SageMaker to stop the execution and returns; \`smpk watch\` shows it reach Stopped.`;

function parseArn(value: string | undefined): { arn: string; region: string } {
  const m = value ? EXECUTION_ARN.exec(value) : null;
  if (!value || !m) throw new UsageError(`expected a pipeline execution ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>), got ${JSON.stringify(value ?? '')}`);
  return { arn: value, region: m[1] as string };
}

/** Runs `smpk watch`. */
export async function watchCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    'timeout-minutes': { type: 'string' },
    region: { type: 'string' },
    'no-stop-on-cancel': { type: 'boolean' },
    'interval-seconds': { type: 'string' },
  });
  if (values.help) {
    ctx.output.out(`${watchUsage}\n`);
    return ExitCode.Success;
  }
  if (positionals.length !== 1) throw new UsageError('watch takes exactly one execution ARN');
  const { arn, region: arnRegion } = parseArn(positionals[0]);
  const region = resolveRegion({ ...ctx.env, AWS_REGION: arnRegion }, values.region);
  const deadline = deadlineFrom(ctx, values['timeout-minutes']);
  const intervalMs = values['interval-seconds'] === undefined ? undefined : Number(values['interval-seconds']) * 1000;
  const clients = ctx.clients(region);
  const result = await watchExecution(
    {
      executionArn: arn,
      signal: ctx.signal,
      stopOnCancel: !values['no-stop-on-cancel'],
      ...(deadline !== undefined ? { deadline } : {}),
      ...(intervalMs !== undefined && intervalMs >= 1000 ? { intervalMs } : {}),
    },
    { sagemaker: clients.sagemaker, clock: ctx.clock, random: () => ctx.random(), reporter: terminalWatchReporter(ctx.output, ctx.clock) },
  );
  return reportWatchResult(ctx, result, clients, region);
}

/** Runs `smpk stop`. */
export async function stopCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(args, { region: { type: 'string' } });
  if (values.help) {
    ctx.output.out(`${stopUsage}\n`);
    return ExitCode.Success;
  }
  if (positionals.length !== 1) throw new UsageError('stop takes exactly one execution ARN');
  const { arn, region: arnRegion } = parseArn(positionals[0]);
  const region = values.region ?? arnRegion;
  await stopExecution(ctx.clients(region).sagemaker, arn, `smpk-stop-${ctx.uuid()}`.slice(0, 128).padEnd(32, '0'));
  ctx.output.out(`stop requested: ${arn}\n`);
  return ExitCode.Success;
}
