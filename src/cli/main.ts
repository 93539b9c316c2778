/**
 * The `smpk` command dispatcher. Every failure becomes one readable line and a fixed exit code;
 * a stack trace only with --debug, because CI logs are read by people, not debuggers.
 */
import { AwsConfigError } from '../aws/config-error.js';
import { describeAwsError, isCredentialsError } from '../aws/errors.js';
import { ExitCode } from '../exit-codes.js';
import { VERSION } from '../version.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage.js';

type Command = (args: readonly string[], ctx: CliContext) => number | Promise<number>;

interface CommandEntry {
  /** Loads the command's module on demand: `smpk compile` never pays for the AWS SDK or the local backend. */
  load: () => Promise<Command>;
  summary: string;
  /** The command calls AWS (the entry point loads the SDK clients only for these). */
  aws?: boolean;
}

const commands: Record<string, CommandEntry> = {
  validate: { load: async () => (await import('./validate.js')).validateCommand, summary: 'check specs and report every problem at file:line:col' },
  compile: { load: async () => (await import('./compile.js')).compileCommand, summary: 'compile a spec into the SageMaker pipeline definition JSON' },
  plan: { load: async () => (await import('./plan.js')).planCommand, summary: 'show what run would change in the deployed pipeline', aws: true },
  run: { load: async () => (await import('./run.js')).runCommand, summary: 'stage, upsert, start and watch a pipeline execution', aws: true },
  watch: { load: async () => (await import('./watch.js')).watchCommand, summary: 'follow an execution to its end (resume after --no-wait or a timeout)', aws: true },
  stop: { load: async () => (await import('./watch.js')).stopCommand, summary: 'stop an execution', aws: true },
  gate: { load: async () => (await import('./gate.js')).gateCommand, summary: "check an execution's metrics against the spec's gate and post the report", aws: true },
  codebuild: { load: async () => (await import('./codebuild.js')).codebuildCommand, summary: 'run a CodeBuild build and stream its logs here', aws: true },
  release: { load: async () => (await import('./release.js')).releaseCommand, summary: 'approve a model package, deploy it to the endpoint, smoke-test it (rolls back on failure)', aws: true },
  reject: { load: async () => (await import('./release.js')).rejectCommand, summary: 'mark a model package Rejected, recording the reason and who', aws: true },
  'iam-policy': { load: async () => (await import('./iam-policy.js')).iamPolicyCommand, summary: 'print the least-privilege IAM policies (pipeline role, CI role, OIDC trust) a spec needs' },
  doctor: { load: async () => (await import('./doctor.js')).doctorCommand, summary: 'check region, credentials, role, bucket and SageMaker access, and explain the OIDC sub claim', aws: true },
  local: { load: async () => (await import('./local.js')).localCommand, summary: 'run the built-in local backend (no AWS account needed)' },
  demo: {
    load: async () => {
      const { demoCommand } = await import('./local.js');
      return (args, ctx) => demoCommand(args, ctx, main);
    },
    summary: 'the main job end to end on the local backend (npm start)',
    aws: true,
  },
};

/** True when `name` is a command that calls AWS (so the caller should make clients available). */
export function commandUsesAws(name: string | undefined): boolean {
  return name !== undefined && commands[name]?.aws === true;
}

/** An error the AWS SDK raised for a service call (it carries request metadata). */
function isServiceError(error: unknown): error is Error & { $metadata: object } {
  return error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === 'object';
}

/** Exit code for a bug in smpk itself (an exception nobody classified): EX_SOFTWARE. */
export const INTERNAL_ERROR_EXIT = 70;

export { VERSION };

function topUsage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: smpk <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`smpk <command> --help\` for a command's options. --debug prints stack traces.\nExit codes: 0 ok, 1 remote run failed or stopped, 2 invalid input, 3 gate failed, 4 timed out (run goes on).`;
}

/** Runs one smpk invocation and returns its exit code. Never throws. */
export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  const debug = argv.includes('--debug');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.output.out(`${topUsage()}\n`);
    return name === undefined ? ExitCode.InvalidInput : ExitCode.Success;
  }
  if (name === '--version' || name === 'version') {
    ctx.output.out(`smpk ${VERSION}\n`);
    return ExitCode.Success;
  }
  const command = commands[name];
  if (!command) {
    ctx.output.err(`smpk: unknown command ${JSON.stringify(name)}\n\n${topUsage()}\n`);
    return ExitCode.InvalidInput;
  }
  try {
    const run = await command.load();
    return await run(rest, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.output.err(`smpk ${name}: ${error.message}\nRun \`smpk ${name} --help\` for usage.\n`);
      return ExitCode.InvalidInput;
    }
    if (error instanceof AwsConfigError || isCredentialsError(error)) {
      // Missing region or credentials: a setup problem, reported as invalid input in one sentence.
      ctx.output.err(`smpk ${name}: ${error instanceof AwsConfigError ? error.message : describeAwsError(error, 'AWS')}\n`);
      return ExitCode.InvalidInput;
    }
    if (isServiceError(error)) {
      const operation = (error as { $metadata: { operation?: string } }).$metadata.operation ?? 'AWS call';
      ctx.output.err(`smpk ${name}: ${describeAwsError(error, operation)}\n`);
      if (debug && error.stack) ctx.output.err(`${error.stack}\n`);
      return ExitCode.RemoteFailed;
    }
    // Anything else is a bug in smpk (or a non-Error throw): one line, the trace only on request.
    const message = error instanceof Error ? error.message : String(error);
    ctx.output.err(`smpk ${name}: internal error: ${message}\n`);
    if (debug && error instanceof Error && error.stack) ctx.output.err(`${error.stack}\n`);
    else ctx.output.err('Rerun with --debug for a stack trace, and please report it.\n');
    return INTERNAL_ERROR_EXIT;
  }
}
