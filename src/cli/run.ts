/** `smpk run <spec>`: stage, upsert, start and (by default) watch a pipeline execution. */
import { resolveRegion } from '../aws/clients.js';
import { ExitCode } from '../exit-codes.js';
import { resolveParameters } from '../ops/parameters.js';
import { runPipeline } from '../ops/run-pipeline.js';
import { runOrigin } from '../platform/ci-env.js';
import { dotenvWriter } from '../platform/gitlab.js';
import { terminalWatchReporter } from '../platform/progress.js';
import type { CliContext } from './context.js';
import { compileForDeploy, deadlineFrom, readParamsFile } from './spec-input.js';
import { parseCommand, parseKeyValues, UsageError } from './usage.js';
import { reportWatchResult } from './watch-result.js';

export const runUsage = `Usage: smpk run <spec> [--wait|--no-wait] [--param K=V]… [--params-file F] [--role ARN]
                [--bucket NAME] [--region R] [--timeout-minutes N] [--parallelism N]
                [--selective-from EXECUTION_ARN --steps A,B] [--dotenv FILE]
                [--pipeline-name NAME]

Stages code to S3, creates or updates the pipeline, starts an execution and watches it.
The execution ARN is printed as soon as it exists. Exit codes: 0 succeeded, 1 failed or
stopped, 2 invalid input, 4 --timeout-minutes reached while the execution goes on (resume
with \`smpk watch <arn>\`). SIGINT/SIGTERM stop the execution before exiting.
--dotenv FILE writes SMPK_PIPELINE_ARN, SMPK_EXECUTION_ARN and SMPK_EXECUTION_STATUS for a GitLab
dotenv report (written at start, updated at the end). --pipeline-name deploys under another
name, leaving the spec's pipeline alone; {name} is the spec's name (e.g. {name}-pr-42).`;

/** Runs `smpk run`. */
export async function runCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    wait: { type: 'boolean' },
    'no-wait': { type: 'boolean' },
    param: { type: 'string', multiple: true },
    'params-file': { type: 'string' },
    role: { type: 'string' },
    bucket: { type: 'string' },
    region: { type: 'string' },
    'timeout-minutes': { type: 'string' },
    parallelism: { type: 'string' },
    'selective-from': { type: 'string' },
    steps: { type: 'string' },
    'interval-seconds': { type: 'string' },
    dotenv: { type: 'string' },
    'pipeline-name': { type: 'string' },
  });
  if (values.help) {
    ctx.output.out(`${runUsage}\n`);
    return ExitCode.Success;
  }
  if (positionals.length !== 1) throw new UsageError('run takes exactly one spec file');
  if (values.wait && values['no-wait']) throw new UsageError('--wait and --no-wait contradict each other');
  if (Boolean(values['selective-from']) !== Boolean(values.steps)) throw new UsageError('--selective-from and --steps go together');
  const parallelism = values.parallelism === undefined ? undefined : Number(values.parallelism);
  if (parallelism !== undefined && !(Number.isInteger(parallelism) && parallelism >= 1)) throw new UsageError('--parallelism must be a whole number ≥ 1');
  const intervalMs = values['interval-seconds'] === undefined ? undefined : Number(values['interval-seconds']) * 1000;
  if (intervalMs !== undefined && !(intervalMs >= 1000)) throw new UsageError('--interval-seconds must be at least 1');
  const region = resolveRegion(ctx.env, values.region);
  const deadline = deadlineFrom(ctx, values['timeout-minutes']);

  const compiled = compileForDeploy(ctx, positionals[0] as string, { region, role: values.role, bucket: values.bucket, pipelineName: values['pipeline-name'] });
  if (!compiled) return ExitCode.InvalidInput;
  const loadedSpec = compiled.load?.spec;
  const params = resolveParameters(loadedSpec ?? {}, [readParamsFile(ctx, values['params-file']), parseKeyValues('--param', values.param)]);
  if (params.problems.length) {
    for (const p of params.problems) ctx.output.err(`smpk run: ${p.message}\n`);
    return ExitCode.InvalidInput;
  }

  // GitLab: `--dotenv smpk.env` + `artifacts: reports: dotenv: smpk.env` hands the ARN to later jobs.
  const dotenvFile = values.dotenv;
  const dotenv = dotenvFile ? dotenvWriter((text) => ctx.writeFile(dotenvFile, text)) : undefined;
  const clients = ctx.clients(region);
  const origin = runOrigin(ctx.env);
  const progress = terminalWatchReporter(ctx.output, ctx.clock);
  const result = await runPipeline(
    {
      compiled: compiled.result,
      parameters: params.overrides,
      origin,
      wait: !values['no-wait'],
      signal: ctx.signal,
      ...(deadline !== undefined ? { deadline } : {}),
      ...(parallelism !== undefined ? { parallelism } : {}),
      ...(intervalMs !== undefined ? { intervalMs } : {}),
      ...(values['selective-from'] && values.steps
        ? { selective: { sourceExecutionArn: values['selective-from'], steps: values.steps.split(',').map((s) => s.trim()).filter(Boolean) } }
        : {}),
    },
    {
      clients,
      clock: ctx.clock,
      random: () => ctx.random(),
      uuid: () => ctx.uuid(),
      reporter: {
        ...progress,
        staged: (s) => ctx.output.out(`staged: ${s.uploaded.length} uploaded, ${s.skipped.length} already in S3\n`),
        upserted: (u) =>
          ctx.output.out(
            `pipeline ${compiled.result.pipeline.name}: ${u.action}${u.changes.length ? ` (${u.changes.length} definition change${u.changes.length === 1 ? '' : 's'})` : ''}${u.settingsChanged.length ? ` (${u.settingsChanged.join(', ')} changed)` : ''}\n`,
          ),
        started: (arn, url, pipelineArn) => {
          ctx.output.out(`execution started: ${arn}\n${url ? `console: ${url}\n` : ''}`);
          dotenv?.({ SMPK_PIPELINE_ARN: pipelineArn, SMPK_EXECUTION_ARN: arn, SMPK_EXECUTION_STATUS: 'Executing' });
        },
      },
    },
  );
  if (result.watch) dotenv?.({ SMPK_EXECUTION_STATUS: result.watch.status ?? result.watch.outcome });
  if (!result.watch) {
    ctx.output.out(`not waiting (--no-wait). Follow it with:\n  smpk watch ${result.executionArn}\n`);
    return ExitCode.Success;
  }
  return reportWatchResult(ctx, result.watch, clients, region);
}
