/** `smpk codebuild <project>`: run a CodeBuild build and stream its logs into this job. */
import path from 'node:path';
import { resolveRegion } from '../aws/clients.js';
import { ExitCode } from '../exit-codes.js';
import { runCodeBuild } from '../ops/codebuild.js';
import type { CliContext } from './context.js';
import { deadlineFrom } from './spec-input.js';
import { parseCommand, parseKeyValues, UsageError } from './usage.js';

export const codebuildUsage = `Usage: smpk codebuild <project> [--source-version SHA] [--env K=V]… [--buildspec FILE]
                      [--region R] [--timeout-minutes N] [--hide-logs]

Starts a build of an existing CodeBuild project (for SageMaker reachable only inside a VPC),
prints its id at once, streams its CloudWatch logs and exits with the build's result:
0 succeeded, 1 failed/fault/timed out/stopped, 4 deadline reached while it goes on.
--env values are passed as PLAINTEXT: keep secrets in the project's Parameter Store variables.
A cancelled job (SIGINT/SIGTERM) stops the build.`;

/** Runs `smpk codebuild`. */
export async function codebuildCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    'source-version': { type: 'string' },
    env: { type: 'string', multiple: true },
    buildspec: { type: 'string' },
    region: { type: 'string' },
    'timeout-minutes': { type: 'string' },
    'hide-logs': { type: 'boolean' },
  });
  if (values.help) {
    ctx.output.out(`${codebuildUsage}\n`);
    return ExitCode.Success;
  }
  if (positionals.length !== 1) throw new UsageError('codebuild takes exactly one project name');
  const region = resolveRegion(ctx.env, values.region);
  let buildspec: string | undefined;
  if (values.buildspec) {
    const abs = path.resolve(ctx.fs.cwd(), values.buildspec);
    if (!ctx.fs.exists(abs)) throw new UsageError(`--buildspec ${values.buildspec} does not exist`);
    buildspec = ctx.fs.readText(abs);
  }
  const clients = ctx.clients(region);
  const sourceVersion = values['source-version'] ?? ctx.env.GITHUB_SHA ?? ctx.env.CI_COMMIT_SHA;
  const deadline = deadlineFrom(ctx, values['timeout-minutes']);
  const result = await runCodeBuild(
    {
      projectName: positionals[0] as string,
      env: parseKeyValues('--env', values.env),
      signal: ctx.signal,
      ...(sourceVersion ? { sourceVersion } : {}),
      ...(buildspec ? { buildspec } : {}),
      ...(deadline !== undefined ? { deadline } : {}),
      ...(values['hide-logs'] ? { hideLogs: true } : {}),
    },
    {
      codebuild: clients.codebuild,
      logs: clients.logs,
      clock: ctx.clock,
      random: () => ctx.random(),
      env: ctx.env,
      reporter: {
        started: (b) => ctx.output.out(`build started: ${b.id}${b.arn ? `\n  ${b.arn}` : ''}\n`),
        log: (line) => ctx.output.out(`  | ${line}\n`),
        status: (s) => ctx.output.out(`build ${s}\n`),
        retrying: (m) => ctx.output.err(`${m}\n`),
        stopping: (id) => ctx.output.err(`job cancelled: stopping build ${id}\n`),
      },
    },
  );
  switch (result.outcome) {
    case 'succeeded':
      ctx.output.out(`build ${result.buildId} succeeded (${result.logLines} log lines)\n`);
      return ExitCode.Success;
    case 'deadline':
      ctx.output.err(`stopped waiting; build ${result.buildId} is still ${result.status ?? 'running'}\n`);
      return ExitCode.TimedOut;
    default:
      ctx.output.err(`build ${result.buildId} ${result.status ?? result.outcome}${result.failure ? `: ${result.failure}` : ''}\n`);
      return ExitCode.RemoteFailed;
  }
}
