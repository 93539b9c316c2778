/**
 * `smpk doctor`: the setup checks, each one line with a fix. AWS is reached only through the
 * ports given, so the checks are tested without the SDK. What cannot be checked without IAM
 * rights (that the pipeline role exists and trusts SageMaker) is said, not guessed.
 */
import { describeAwsError, errorName, httpStatus, isCredentialsError } from '../aws/errors.js';
import { ExitCode } from '../exit-codes.js';

/** ok/problem/error are verdicts; info explains; skipped could not run because an earlier check failed. */
export type CheckStatus = 'ok' | 'problem' | 'error' | 'info' | 'skipped';

export interface Check {
  name: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

export interface DoctorPorts {
  callerIdentity(): Promise<{ account: string; arn: string }>;
  headBucket(bucket: string): Promise<void>;
  listPipelines(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

export interface DoctorInput {
  env: Env;
  regionFlag?: string | undefined;
  /** The role and bucket to check, with where each came from. */
  role?: { arn: string; source: string } | undefined;
  bucket?: { name: string; source: string } | undefined;
  /** A spec was named: a missing role or bucket is then a problem, not a skip. */
  specNamed?: boolean;
  /** The spec did not load or compile: one sentence. */
  specProblem?: string | undefined;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/** The region the commands would use, and from where; undefined when none is set. */
export function regionFrom(env: Env, flag?: string): { region: string; source: string } | undefined {
  if (flag) return { region: flag, source: '--region' };
  if (env.AWS_REGION) return { region: env.AWS_REGION, source: 'AWS_REGION' };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' };
  return undefined;
}

/** Which credential source the SDK will try first, by variable name only (values are never shown). */
function credentialSource(env: Env): string {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return `static keys from AWS_ACCESS_KEY_ID${env.AWS_SESSION_TOKEN ? ' with a session token' : ''}`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)';
  if (env.AWS_PROFILE) return `profile ${env.AWS_PROFILE}`;
  return "the SDK's default chain";
}

/** The endpoint override variables set (the SDK sends those services' calls there, not to AWS). */
export function endpointOverrides(env: Env): string[] {
  return Object.keys(env)
    .filter((k) => (k === 'AWS_ENDPOINT_URL' || k.startsWith('AWS_ENDPOINT_URL_')) && env[k])
    .sort()
    .map((k) => `${k}=${env[k]}`);
}

/** The OIDC `sub` claim the current CI job gets, and the forms each trigger produces. */
export function oidcCheck(env: Env): Check {
  const name = 'OIDC sub claim';
  if (env.GITHUB_ACTIONS === 'true') {
    const repo = env.GITHUB_REPOSITORY ?? 'OWNER/REPO';
    const event = env.GITHUB_EVENT_NAME ?? '';
    const current = event === 'pull_request' ? `repo:${repo}:pull_request` : `repo:${repo}:ref:${env.GITHUB_REF ?? 'refs/heads/<branch>'}`;
    return {
      name,
      status: 'info',
      message:
        `GitHub Actions, ${event || 'unknown'} event: this job's token carries sub "${current}" — unless the job has \`environment: NAME\`, which makes it "repo:${repo}:environment:NAME". ` +
        `Push to main: "repo:${repo}:ref:refs/heads/main"; pull_request: "repo:${repo}:pull_request"; release job: "repo:${repo}:environment:production".`,
      fix: 'The role\'s trust policy must test exactly that string with StringEquals on token.actions.githubusercontent.com:sub (smpk iam-policy prints it); the workflow needs `permissions: id-token: write`.',
    };
  }
  if (env.GITLAB_CI === 'true') {
    const project = env.CI_PROJECT_PATH ?? 'GROUP/PROJECT';
    const host = env.CI_SERVER_HOST ?? 'gitlab.com';
    const tag = env.CI_COMMIT_TAG;
    const ref = tag ?? env.CI_COMMIT_REF_NAME ?? '<branch>';
    const current = `project_path:${project}:ref_type:${tag ? 'tag' : 'branch'}:ref:${ref}`;
    return {
      name,
      status: 'info',
      message:
        `GitLab CI (${host}): this job's token carries sub "${current}"${env.CI_MERGE_REQUEST_IID ? ' (a merge-request pipeline: ref is the source branch)' : ''}. ` +
        `main: "project_path:${project}:ref_type:branch:ref:main"; any branch: "project_path:${project}:ref_type:branch:ref:*" (StringLike).`,
      fix: `Test it on ${host}:sub in the role's trust policy (smpk iam-policy prints it); the job needs id_tokens with aud sts.amazonaws.com and AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN.`,
    };
  }
  return {
    name,
    status: 'info',
    message:
      'Not in GitHub Actions or GitLab CI. There, the token\'s sub is "repo:OWNER/REPO:ref:refs/heads/main" (push to main), "repo:OWNER/REPO:pull_request", "repo:OWNER/REPO:environment:production" (GitHub), or "project_path:GROUP/PROJECT:ref_type:branch:ref:main" (GitLab).',
  };
}

/** Runs every check; AWS checks only when a region is set, and after credentials resolve. */
export async function runDoctor(input: DoctorInput, ports: (region: string) => DoctorPorts): Promise<Check[]> {
  const checks: Check[] = [];
  const { env } = input;
  if (input.specProblem) checks.push({ name: 'Spec', status: 'problem', message: input.specProblem, fix: 'Run `smpk validate <spec>` and fix what it reports.' });

  const r = regionFrom(env, input.regionFlag);
  if (!r) {
    checks.push({ name: 'Region', status: 'problem', message: 'No AWS region is set.', fix: 'Set AWS_REGION (aws-actions/configure-aws-credentials sets it from aws-region; in GitLab a CI/CD variable), or pass --region.' });
  } else if (!REGION.test(r.region)) {
    checks.push({ name: 'Region', status: 'problem', message: `${JSON.stringify(r.region)} (from ${r.source}) is not a region name.`, fix: 'Use a name such as eu-west-1.' });
  } else {
    checks.push({ name: 'Region', status: 'ok', message: `${r.region} (from ${r.source}).` });
  }

  const overrides = endpointOverrides(env);
  if (overrides.length) {
    checks.push({
      name: 'Endpoint override',
      status: 'info',
      message: `${overrides.join(', ')}: those calls go there, not to AWS.`,
    });
  }

  const region = r && REGION.test(r.region) ? r.region : undefined;
  const aws = region ? ports(region) : undefined;
  const skip = (name: string, why: string): Check => ({ name, status: 'skipped', message: why });

  // Credentials. An endpoint override without one for STS (the local backend, LocalStack-style
  // setups) has no identity to ask: the other checks then run against the override.
  let account: string | undefined;
  let credentialsUsable = false;
  if (!aws) checks.push(skip('Credentials', 'Not checked: no valid region.'));
  else if (env.AWS_ENDPOINT_URL && !env.AWS_ENDPOINT_URL_STS) {
    credentialsUsable = true;
    checks.push(skip('Credentials', `Not checked: AWS_ENDPOINT_URL sends STS to ${env.AWS_ENDPOINT_URL}, which need not serve it (set AWS_ENDPOINT_URL_STS to check the identity there).`));
  } else {
    try {
      const id = await aws.callerIdentity();
      account = id.account;
      credentialsUsable = true;
      checks.push({ name: 'Credentials', status: 'ok', message: `Resolve to account ${id.account}, principal ${id.arn} (source: ${credentialSource(env)}).` });
    } catch (error) {
      const credentials = isCredentialsError(error) || errorName(error) === 'CredentialsProviderError' || errorName(error) === 'AccessDenied';
      checks.push({
        name: 'Credentials',
        status: credentials ? 'problem' : 'error',
        message: `${describeAwsError(error, 'GetCallerIdentity')} (source tried: ${credentialSource(env)}).`,
        fix: credentials
          ? 'GitHub: aws-actions/configure-aws-credentials with role-to-assume and `permissions: id-token: write`; GitLab: id_tokens + AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE; locally AWS_PROFILE. A trust policy that rejects the token shows up here too: compare its sub with the OIDC line below.'
          : 'Check the network and any endpoint override, then rerun.',
      });
    }
  }

  // Pipeline role: its existence needs iam:GetRole, which the CI role should not have.
  if (input.role) {
    const m = ROLE_ARN.exec(input.role.arn);
    if (!m) {
      checks.push({ name: 'Pipeline role', status: 'problem', message: `${input.role.arn} (from ${input.role.source}) is not an IAM role ARN.`, fix: 'Use arn:aws:iam::<account>:role/<name>.' });
    } else if (account && m[1] !== account) {
      checks.push({
        name: 'Pipeline role',
        status: 'problem',
        message: `${input.role.arn} (from ${input.role.source}) is in account ${m[1]}, but the credentials are for ${account}: a role can only be passed to SageMaker within its own account.`,
        fix: 'Use the pipeline role of the account the CI role is in, or assume a CI role in the role\'s account.',
      });
    } else {
      checks.push({
        name: 'Pipeline role',
        status: 'ok',
        message: `${input.role.arn} (from ${input.role.source}) is a role ARN${account ? ' in the caller\'s account' : ''}. Not checked (needs iam:GetRole, which a CI role should not have): that it exists and trusts sagemaker.amazonaws.com — smpk run reports it at CreatePipeline.`,
      });
    }
  } else if (input.specNamed) {
    checks.push({ name: 'Pipeline role', status: 'problem', message: 'The spec names no pipeline.roleArn and SMPK_ROLE_ARN is unset.', fix: 'Set SMPK_ROLE_ARN (GitHub: the SMPK_PIPELINE_ROLE_ARN variable) or pipeline.roleArn in the spec.' });
  } else {
    checks.push(skip('Pipeline role', 'Not checked: SMPK_ROLE_ARN is unset (pass --spec to check a spec\'s role).'));
  }

  // Bucket: HeadBucket tells a missing bucket (404) from one we may not use (403) and one in another region (301).
  if (!input.bucket) {
    checks.push(
      input.specNamed
        ? { name: 'Bucket', status: 'problem', message: 'The spec names no pipeline.bucket and SMPK_BUCKET is unset.', fix: 'Set SMPK_BUCKET or pipeline.bucket in the spec.' }
        : skip('Bucket', 'Not checked: SMPK_BUCKET is unset (pass --spec to check a spec\'s bucket).'),
    );
  } else if (!aws || !credentialsUsable) {
    checks.push(skip('Bucket', `Not checked (${input.bucket.name}): ${aws ? 'no credentials' : 'no valid region'}.`));
  } else {
    const b = input.bucket;
    try {
      await aws.headBucket(b.name);
      checks.push({ name: 'Bucket', status: 'ok', message: `${b.name} (from ${b.source}) exists and this principal can use it.` });
    } catch (error) {
      const status = httpStatus(error);
      const name = errorName(error);
      if (status === 404 || name === 'NotFound' || name === 'NoSuchBucket') {
        checks.push({ name: 'Bucket', status: 'problem', message: `${b.name} (from ${b.source}) does not exist.`, fix: `Create it in ${region} (aws s3 mb s3://${b.name} --region ${region}) or fix the name.` });
      } else if (status === 403 || name === 'Forbidden' || name === 'AccessDenied') {
        checks.push({
          name: 'Bucket',
          status: 'problem',
          message: `${b.name} (from ${b.source}) exists, but this principal may not use it (403): it belongs to another account, or the role lacks s3:ListBucket on it.`,
          fix: 'Grant s3:ListBucket on the bucket and object access on its prefix (smpk iam-policy prints both), or pick a bucket of your own account.',
        });
      } else if (status === 301 || name === 'PermanentRedirect' || name === 'MovedPermanently') {
        checks.push({ name: 'Bucket', status: 'problem', message: `${b.name} (from ${b.source}) is in another region than ${region}.`, fix: 'Use a bucket in the pipeline\'s region (SageMaker jobs read and write it from there).' });
      } else {
        checks.push({ name: 'Bucket', status: isCredentialsError(error) ? 'problem' : 'error', message: describeAwsError(error, 'HeadBucket'), fix: 'Rerun; check the network and any endpoint override.' });
      }
    }
  }

  // SageMaker: reachable at all (a denial proves that too; smpk itself never lists pipelines).
  if (!aws || !credentialsUsable) checks.push(skip('SageMaker', `Not checked: ${aws ? 'no credentials' : 'no valid region'}.`));
  else {
    try {
      await aws.listPipelines();
      checks.push({ name: 'SageMaker', status: 'ok', message: `Reachable in ${region} (ListPipelines answered).` });
    } catch (error) {
      const name = errorName(error);
      if (name === 'AccessDeniedException' || name === 'AccessDenied') {
        checks.push({ name: 'SageMaker', status: 'ok', message: `Reachable in ${region}: ListPipelines was denied, which smpk never needs.` });
      } else {
        checks.push({
          name: 'SageMaker',
          status: isCredentialsError(error) ? 'problem' : 'error',
          message: describeAwsError(error, 'ListPipelines'),
          fix: 'Check the region (SageMaker Pipelines must be offered there), the network and AWS_ENDPOINT_URL_SAGEMAKER.',
        });
      }
    }
  }

  checks.push(oidcCheck(env));
  return checks;
}

/** 2 when a setup problem was found, 1 when an AWS call failed otherwise, 0 when all passed. */
export function doctorExitCode(checks: readonly Check[]): number {
  if (checks.some((c) => c.status === 'problem')) return ExitCode.InvalidInput;
  if (checks.some((c) => c.status === 'error')) return ExitCode.RemoteFailed;
  return ExitCode.Success;
}

const MARK: Record<CheckStatus, string> = { ok: '✓', problem: '✗', error: '✗', info: 'ℹ', skipped: '–' };

/** One line per check, its fix indented under a failure. */
export function renderChecks(checks: readonly Check[]): string {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${MARK[c.status]} ${c.name}: ${c.message}`);
    if (c.fix && (c.status === 'problem' || c.status === 'error' || c.status === 'info')) lines.push(`    ${c.status === 'info' ? 'Note' : 'Fix'}: ${c.fix}`);
  }
  const code = doctorExitCode(checks);
  lines.push('', code === 0 ? 'All checks passed.' : code === 2 ? 'Setup problems found (exit 2).' : 'An AWS call failed (exit 1).');
  return `${lines.join('\n')}\n`;
}
