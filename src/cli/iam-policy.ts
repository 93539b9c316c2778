/** `smpk iam-policy <spec>`: the least-privilege IAM policies a spec needs, derived offline. */
import { ExitCode } from '../exit-codes.js';
import { compileSpecFile } from '../ops/compile.js';
import { buildIamPolicies, renderIamPolicies } from '../ops/iam-policy.js';
import { findRepositoryRoot } from '../ops/spec-files.js';
import { renderDiagnostics } from '../platform/terminal.js';
import type { CliContext } from './context.js';
import { parseCommand, parseFormat, UsageError } from './usage.js';

export const iamPolicyUsage = `Usage: smpk iam-policy <spec> [--region R] [--account ID] [--role ARN] [--bucket NAME]
                       [--format text|json]

Prints the least-privilege IAM policies for one spec, derived from its compiled definition
(no AWS call): the pipeline execution role's (what its step types need), the CI role's (what
smpk run/watch/stop/gate/release call) and the OIDC trust policies for GitHub and GitLab.
Without a region or account, resources carry \${AWS::Region} / <ACCOUNT_ID>; the output says so.
  --region R       region of the resources (default: $AWS_REGION)
  --account ID     12-digit account of the resources (default: the pipeline role's account)
  --role ARN       pipeline role (default: the spec's pipeline.roleArn, else $SMPK_ROLE_ARN)
  --bucket NAME    artifact bucket (default: the spec's pipeline.bucket, else $SMPK_BUCKET)
  --format json    {region, account, pipelineRole, ciRole, trust, notes}`;

/** Runs `smpk iam-policy`. */
export function iamPolicyCommand(args: readonly string[], ctx: CliContext): number {
  const { values, positionals } = parseCommand(args, {
    region: { type: 'string' },
    account: { type: 'string' },
    role: { type: 'string' },
    bucket: { type: 'string' },
  });
  if (values.help) {
    ctx.output.out(`${iamPolicyUsage}\n`);
    return ExitCode.Success;
  }
  const format = parseFormat(values.format);
  if (positionals.length !== 1) throw new UsageError('iam-policy takes exactly one spec file');
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) throw new UsageError(`--account must be a 12-digit AWS account ID, not ${JSON.stringify(values.account)}`);
  const region = values.region ?? (ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || undefined);
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new UsageError(`--region ${JSON.stringify(region)} is not a region name such as eu-west-1`);
  const roleArn = values.role ?? (ctx.env.SMPK_ROLE_ARN || undefined);
  const bucket = values.bucket ?? (ctx.env.SMPK_BUCKET || undefined);

  const root = findRepositoryRoot(ctx.fs, ctx.fs.cwd());
  // validateOnly: a spec whose role or bucket comes from CI variables still gets its policies,
  // with placeholders standing for what nobody named.
  const compiled = compileSpecFile({
    fs: ctx.fs,
    root,
    files: ctx.sourceFiles(root),
    file: positionals[0] as string,
    // Image URIs depend on the region; without one, us-east-1's registries are named (see the notes).
    options: { region: region ?? 'us-east-1', ...(roleArn ? { roleArn } : {}), ...(bucket ? { bucket } : {}) },
    validateOnly: true,
  });
  ctx.output.err(renderDiagnostics(compiled.diagnostics));
  const result = compiled.result;
  const spec = compiled.load?.spec;
  if (!compiled.ok || !result?.definition || !result.pipeline || !spec) return ExitCode.InvalidInput;

  const policies = buildIamPolicies({
    definition: result.definition,
    pipeline: result.pipeline,
    assets: result.assets,
    spec: { ...(spec.gate !== undefined ? { gate: spec.gate } : {}), ...(spec.release ? { release: spec.release } : {}) },
    roleKnown: Boolean(roleArn ?? spec.pipeline.roleArn),
    bucketKnown: Boolean(bucket ?? spec.pipeline.bucket),
    region,
    account: values.account,
    githubRepository: ctx.env.GITHUB_REPOSITORY,
    gitlabProject: ctx.env.CI_PROJECT_PATH,
    gitlabHost: ctx.env.CI_SERVER_HOST,
  });
  if (!region) policies.notes.push('Image registries were resolved for us-east-1; with --region the ECR repositories of that region are named.');
  if (format === 'json') ctx.output.out(`${JSON.stringify(policies, null, 2)}\n`);
  else ctx.output.out(renderIamPolicies(policies));
  return ExitCode.Success;
}
