/**
 * `smpk local start`: the built-in local backend in the foreground, and `smpk demo` (what
 * `npm start` runs): the whole flow against it with nothing to configure.
 */
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import path from 'node:path';
import { createClients } from '../aws/clients.js';
import { ExitCode } from '../exit-codes.js';
import type { CliContext } from './context.js';
import { parseCommand, UsageError } from './usage.js';

export const localUsage = `Usage: smpk local start [--port P] [--state-dir D] [--faults SPEC]

Runs the local backend in the foreground on 127.0.0.1 (SageMaker, S3, CloudWatch Logs and
sagemaker-runtime for the operations the kit uses), with state under D (default .smpk/local).
Point the kit (or the AWS CLI, boto3) at it with:
  export AWS_ENDPOINT_URL=http://127.0.0.1:P AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local
--faults throttle=0.2,5xx=0.1,reset=0.05,slow=0.1,seed=7 injects failures (or SMPK_LOCAL_FAULTS).`;

export const demoUsage = `Usage: smpk demo [--state-dir D] [--spec FILE]

Runs the main job on the built-in local backend, with no AWS account: validate every spec,
plan and run pipeline-specs/abalone-local.yaml (stage → upsert → start → watch), check the
metric gate, then release it (an explicit local approval of the model package → deploy the
endpoint → smoke-test it with the spec's payload), printing each step. State goes to D
(default .smpk/demo); run it again to see an unchanged pipeline and the first model as the
gate's baseline.`;

/** The host variables local jobs run with, from the injected environment (never process.env here). */
export function jobBaseEnv(env: CliContext['env']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR']) {
    const v = env[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Environment that points every client at a local backend. */
export function localEnvironment(base: CliContext['env'], endpoint: string): Record<string, string | undefined> {
  return {
    ...base,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    // The local backend does not check signatures; fixed, obviously fake keys keep the SDK's
    // credential chain from looking for (and possibly finding) real ones.
    AWS_ACCESS_KEY_ID: 'smpk-local',
    AWS_SECRET_ACCESS_KEY: 'smpk-local',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    SMPK_ROLE_ARN: base.SMPK_ROLE_ARN ?? 'arn:aws:iam::000000000000:role/smpk-local',
  };
}

/** Runs `smpk local start` until SIGINT/SIGTERM. */
export async function localCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(args, { port: { type: 'string' }, 'state-dir': { type: 'string' }, faults: { type: 'string' } });
  if (values.help || positionals[0] !== 'start') {
    ctx.output.out(`${localUsage}\n`);
    return values.help ? ExitCode.Success : ExitCode.InvalidInput;
  }
  const port = values.port === undefined ? 4566 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number');
  const stateDir = path.resolve(ctx.fs.cwd(), values['state-dir'] ?? '.smpk/local');
  const local = await ctx.localBackend();
  const faults = local.parseFaults(values.faults ?? ctx.env.SMPK_LOCAL_FAULTS);
  const backend = await local.startLocalBackend({ port, stateDir, baseEnv: jobBaseEnv(ctx.env), ...(faults ? { faults } : {}), logger: (l) => ctx.output.err(`${l}\n`) });
  ctx.output.out(`local backend listening on ${backend.endpoint} (state: ${stateDir})\n`);
  ctx.output.out(`export AWS_ENDPOINT_URL=${backend.endpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local\n`);
  await new Promise<void>((resolve) => (ctx.signal.aborted ? resolve() : ctx.signal.addEventListener('abort', () => resolve(), { once: true })));
  await backend.close();
  ctx.output.out('local backend stopped\n');
  return ExitCode.Success;
}

/** Runs `smpk demo`: the main job, end to end, on an in-process local backend. */
export async function demoCommand(args: readonly string[], ctx: CliContext, run: (argv: string[], ctx: CliContext) => Promise<number>): Promise<number> {
  const { values } = parseCommand(args, { 'state-dir': { type: 'string' }, spec: { type: 'string' } });
  if (values.help) {
    ctx.output.out(`${demoUsage}\n`);
    return ExitCode.Success;
  }
  const spec = values.spec ?? 'pipeline-specs/abalone-local.yaml';
  const stateDir = path.resolve(ctx.fs.cwd(), values['state-dir'] ?? '.smpk/demo');
  const local = await ctx.localBackend();
  const backend = await local.startLocalBackend({ port: 0, stateDir, baseEnv: jobBaseEnv(ctx.env) });
  const env = localEnvironment(ctx.env, backend.endpoint);
  const localCtx: CliContext = { ...ctx, env, clients: (region) => createClients({ region, env }) };
  const say = (title: string) => ctx.output.out(`\n== ${title} ==\n`);
  try {
    ctx.output.out(`smpk demo: local backend on ${backend.endpoint} (state in ${path.relative(ctx.fs.cwd(), stateDir) || '.'}); no AWS account involved.\n`);
    say('validate every spec');
    const valid = await run(['validate', 'pipeline-specs'], localCtx);
    if (valid !== ExitCode.Success) return valid;

    // The one setup step a user does by hand on AWS: the artifact bucket must exist.
    const s3 = localCtx.clients('us-east-1').s3;
    try {
      await s3.send(new HeadBucketCommand({ Bucket: 'smpk-local' }));
    } catch {
      await s3.send(new CreateBucketCommand({ Bucket: 'smpk-local' }));
    }

    say(`plan ${spec}`);
    const planned = await run(['plan', spec], localCtx);
    if (planned !== ExitCode.Success) return planned;
    say(`run ${spec} (stage → upsert → start → watch)`);
    // The run hands its execution ARN to the next steps the way a GitLab job would: a dotenv file.
    const handoff = path.join(path.relative(ctx.fs.cwd(), stateDir) || '.', 'run.env');
    const ran = await run(['run', spec, '--interval-seconds', '1', '--timeout-minutes', '10', '--dotenv', handoff], localCtx);
    if (ran !== ExitCode.Success) return ran;
    const executionArn = /^SMPK_EXECUTION_ARN=(.*)$/m.exec(ctx.fs.readText(path.resolve(ctx.fs.cwd(), handoff)))?.[1];
    if (!executionArn) throw new Error('the run wrote no execution ARN');
    for (const [title, argv] of demoFollowUps(spec, executionArn, path.relative(ctx.fs.cwd(), stateDir) || '.')) {
      say(title);
      const code = await run(argv, localCtx);
      if (code !== ExitCode.Success) return code;
    }
    ctx.output.out('\nsmpk demo: done.\n');
    return ExitCode.Success;
  } finally {
    await backend.close();
  }
}

/** What the demo runs after the pipeline: the metric gate, then the release. */
function demoFollowUps(spec: string, executionArn: string, stateDir: string): [string, string[]][] {
  return [
    [`gate ${spec} (evaluation report vs thresholds and the approved baseline)`, ['gate', spec, '--execution', executionArn, '--report-file', path.join(stateDir, 'report.md')]],
    // In CI a reviewer approves the protected environment; here the approval is explicit and named.
    [`release ${spec} (approve the model package → deploy the endpoint → smoke-test it)`, ['release', spec, '--approver', 'local demo user', '--interval-seconds', '1']],
  ];
}
