/** `smpk doctor`: is this machine or CI job set up to run smpk against AWS? */
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { ListPipelinesCommand } from '@aws-sdk/client-sagemaker';
import { createStsClient, getCallerIdentity } from '../aws/sts.js';
import { ExitCode } from '../exit-codes.js';
import { compileSpecFile } from '../ops/compile.js';
import { doctorExitCode, regionFrom, renderChecks, runDoctor, type DoctorInput, type DoctorPorts } from '../ops/doctor.js';
import { findRepositoryRoot } from '../ops/spec-files.js';
import type { CliContext } from './context.js';
import { parseCommand, parseFormat, UsageError } from './usage.js';

export const doctorUsage = `Usage: smpk doctor [--spec S] [--region R] [--format text|json]

Checks the setup, one line each with a fix: the region; that credentials resolve (STS
GetCallerIdentity: account and principal, never keys); that the pipeline role (the spec's, else
SMPK_ROLE_ARN) is a role of the caller's account; that the bucket (the spec's, else SMPK_BUCKET)
exists and is usable (HeadBucket); that SageMaker answers (ListPipelines); endpoint overrides in
use; and the OIDC sub claim this CI job's token carries.
Exit 0 all passed, 2 a setup problem, 1 an AWS call failed otherwise.`;

/** Runs `smpk doctor`. */
export async function doctorCommand(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(args, { spec: { type: 'string' }, region: { type: 'string' } });
  if (values.help) {
    ctx.output.out(`${doctorUsage}\n`);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format);
  if (positionals.length) throw new UsageError('doctor takes no positional arguments (name a spec with --spec)');

  const input: DoctorInput = { env: ctx.env, regionFlag: values.region, specNamed: values.spec !== undefined };
  let roleArn = ctx.env.SMPK_ROLE_ARN ? { arn: ctx.env.SMPK_ROLE_ARN, source: 'SMPK_ROLE_ARN' } : undefined;
  let bucket = ctx.env.SMPK_BUCKET ? { name: ctx.env.SMPK_BUCKET, source: 'SMPK_BUCKET' } : undefined;
  if (values.spec !== undefined) {
    const root = findRepositoryRoot(ctx.fs, ctx.fs.cwd());
    const compiled = compileSpecFile({
      fs: ctx.fs,
      root,
      files: ctx.sourceFiles(root),
      file: values.spec,
      options: { region: regionFrom(ctx.env, values.region)?.region ?? 'us-east-1' },
      validateOnly: true,
    });
    const pipeline = compiled.load?.spec?.pipeline;
    if (pipeline?.roleArn) roleArn = { arn: pipeline.roleArn, source: `${values.spec} pipeline.roleArn` };
    if (pipeline?.bucket) bucket = { name: pipeline.bucket, source: `${values.spec} pipeline.bucket` };
    if (!compiled.ok) {
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
      const first = errors[0];
      input.specProblem = `${values.spec} has ${errors.length} error${errors.length === 1 ? '' : 's'}${first ? `, the first at line ${first.line}: ${first.message}` : ''}.`;
    }
  }
  if (roleArn) input.role = roleArn;
  if (bucket) input.bucket = bucket;

  const ports = (region: string): DoctorPorts => {
    const clients = ctx.clients(region);
    return {
      callerIdentity: () => getCallerIdentity(createStsClient(region, ctx.env)),
      headBucket: async (name) => {
        await clients.s3.send(new HeadBucketCommand({ Bucket: name }));
      },
      listPipelines: async () => {
        await clients.sagemaker.send(new ListPipelinesCommand({ MaxResults: 1 }));
      },
    };
  };
  const checks = await runDoctor(input, ports);
  if (format === 'json') ctx.output.out(`${JSON.stringify({ ok: doctorExitCode(checks) === 0, checks }, null, 2)}\n`);
  else ctx.output.out(renderChecks(checks));
  return doctorExitCode(checks);
}
