/** `smpk release <spec>` and `smpk reject <spec>`: the manual release gate from a terminal or a GitLab job. */
import { resolveRegion } from '../aws/clients.js';
import { ExitCode } from '../exit-codes.js';
import { compileSpecFile } from '../ops/compile.js';
import { sanitizeText } from '../ops/approve.js';
import { reject, release, type ReleaseResult } from '../ops/release.js';
import { registeredGroup, ReleaseInputError, releaseSettings, type ReleaseSettings } from '../ops/release-settings.js';
import { findRepositoryRoot } from '../ops/spec-files.js';
import { resolveApprover, type FetchPort } from '../platform/approver.js';
import { runOrigin } from '../platform/ci-env.js';
import { dotenvWriter } from '../platform/gitlab.js';
import { renderDiagnostics } from '../platform/terminal.js';
import type { CliContext } from './context.js';
import { parseCommand, UsageError } from './usage.js';

export const releaseUsage = `Usage: smpk release <spec> [--model-package ARN] [--region R] [--approver NAME] [--no-approve]
                    [--role ARN] [--environment NAME] [--timeout-minutes N] [--interval-seconds N]
                    [--dotenv FILE]

Approves the model package (the given ARN, else the newest PendingManualApproval or Approved
version of the release's group), deploys it to release.endpointName (create, or blue/green
update), waits for InService on the new config, smoke-tests it and sets up monitoring.
A failed update or smoke test puts the previous endpoint config back. --timeout-minutes
overrides release.timeoutMinutes (default 60).
Run it in a job bound to a protected environment: GitHub \`environment:\` with required reviewers,
GitLab \`when: manual\` + \`allow_failure: false\` on a protected environment.
The approver is taken from CI (GitHub environment approvals via GITHUB_TOKEN, else GITHUB_ACTOR;
GitLab GITLAB_USER_LOGIN); --approver names them outside CI.
--no-approve refuses a package that is not Approved already.
Exit codes: 0 deployed, 1 deploy or smoke test failed (rolled back), 2 invalid input (no release
section, package Rejected…), 4 timeout reached while SageMaker goes on.`;

export const rejectUsage = `Usage: smpk reject <spec> --model-package ARN --reason TEXT [--region R] [--approver NAME]

Marks the model package Rejected in the Model Registry, recording the reason, who and the CI run.
The package must belong to the spec's group. Endpoints that serve it are not touched.`;

/** The real fetch, behind the small port the approver lookup uses. */
const realFetch: FetchPort = (url, init) => fetch(url, init);

const EXIT: Record<ReleaseResult['outcome'], number> = {
  deployed: ExitCode.Success,
  invalid: ExitCode.InvalidInput,
  failed: ExitCode.RemoteFailed,
  'rolled-back': ExitCode.RemoteFailed,
  deadline: ExitCode.TimedOut,
};

/** Loads the spec (validation only: role and bucket may come later) and reads its release section. */
function loadRelease(ctx: CliContext, file: string, region: string, roleFlag: string | undefined): ReleaseSettings | undefined {
  const root = findRepositoryRoot(ctx.fs, ctx.fs.cwd());
  const compiled = compileSpecFile({ fs: ctx.fs, root, files: ctx.sourceFiles(root), file, options: { region }, validateOnly: true });
  ctx.output.err(renderDiagnostics(compiled.diagnostics));
  const spec = compiled.load?.spec;
  if (!compiled.ok || !spec) return undefined;
  return releaseSettings({ spec, specFile: file, fs: ctx.fs, root, env: ctx.env, ...(roleFlag ? { roleFlag } : {}) });
}

/** Builds `smpk release` over a fetch (tests inject one; nothing else reaches the network). */
export function makeReleaseCommand(fetchPort: FetchPort = realFetch) {
  return async function releaseCommand(args: readonly string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseCommand(args, {
      'model-package': { type: 'string' },
      region: { type: 'string' },
      approver: { type: 'string' },
      'no-approve': { type: 'boolean' },
      role: { type: 'string' },
      environment: { type: 'string' },
      'timeout-minutes': { type: 'string' },
      'interval-seconds': { type: 'string' },
      dotenv: { type: 'string' },
    });
    if (values.help) {
      ctx.output.out(`${releaseUsage}\n`);
      return ExitCode.Success;
    }
    if (positionals.length !== 1) throw new UsageError('release takes exactly one spec file');
    const timeout = values['timeout-minutes'] === undefined ? undefined : Number(values['timeout-minutes']);
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) throw new UsageError('--timeout-minutes must be a positive number');
    const intervalMs = values['interval-seconds'] === undefined ? undefined : Number(values['interval-seconds']) * 1000;
    if (intervalMs !== undefined && !(intervalMs >= 1000)) throw new UsageError('--interval-seconds must be at least 1');
    const region = resolveRegion(ctx.env, values.region);
    let settings: ReleaseSettings | undefined;
    try {
      settings = loadRelease(ctx, positionals[0] as string, region, values.role);
    } catch (error) {
      if (!(error instanceof ReleaseInputError)) throw error;
      ctx.output.err(`smpk release: ${error.message}\n`);
      return ExitCode.InvalidInput;
    }
    if (!settings) return ExitCode.InvalidInput;
    if (timeout !== undefined) settings.timeoutMinutes = timeout;
    const origin = runOrigin(ctx.env);
    const approver = await resolveApprover({
      env: ctx.env,
      fetch: fetchPort,
      ...(ctx.env.GITHUB_TOKEN ? { token: ctx.env.GITHUB_TOKEN } : {}),
      ...(values.environment ? { environment: values.environment } : {}),
      ...(values.approver ? { stated: values.approver } : {}),
    });
    const clients = ctx.clients(region);
    // Lines may carry service or model text: one line, no control characters (no terminal escapes).
    const out = (line: string) => ctx.output.out(`${sanitizeText(line, 4000)}\n`);
    const result = await release(
      {
        settings,
        region,
        approve: !values['no-approve'],
        approver,
        signal: ctx.signal,
        ...(values['model-package'] ? { modelPackageArn: values['model-package'] } : {}),
        ...(origin.runUrl ? { runUrl: origin.runUrl } : {}),
        ...(intervalMs !== undefined ? { intervalMs } : {}),
      },
      {
        sagemaker: clients.sagemaker,
        runtime: clients.runtime,
        clock: ctx.clock,
        random: () => ctx.random(),
        reporter: {
          step: out,
          status: (s, d) => out(`  endpoint ${settings.endpointName}: ${s}${d.EndpointConfigName ? ` (${d.EndpointConfigName})` : ''}${d.FailureReason ? ` — ${d.FailureReason}` : ''}`),
          unknownStatus: (s) => ctx.output.err(`smpk release: unknown endpoint status ${s}; still waiting\n`),
          retrying: (m) => ctx.output.err(`smpk release: ${sanitizeText(m, 1000)}\n`),
        },
      },
    );
    if (values.dotenv) {
      const file = values.dotenv;
      dotenvWriter((text) => ctx.writeFile(file, text))({
        SMPK_MODEL_PACKAGE_ARN: result.modelPackage?.arn ?? '',
        SMPK_APPROVED_BY: result.approver?.name ?? '',
        SMPK_ENDPOINT_NAME: result.endpointName,
        SMPK_ENDPOINT_CONFIG_NAME: result.endpointConfigName ?? '',
        SMPK_ENDPOINT_STATUS: result.endpointStatus ?? '',
        SMPK_RELEASE_OUTCOME: result.outcome,
      });
    }
    if (result.outcome === 'deployed') out(`released: ${result.message}`);
    else ctx.output.err(`smpk release: ${result.outcome === 'rolled-back' ? 'rolled back' : result.outcome}: ${sanitizeText(result.message, 4000)}\n`);
    return EXIT[result.outcome];
  };
}

export const releaseCommand = makeReleaseCommand();

/** Builds `smpk reject` over a fetch (for the approver lookup). */
export function makeRejectCommand(fetchPort: FetchPort = realFetch) {
  return async function rejectCommand(args: readonly string[], ctx: CliContext): Promise<number> {
    const { values, positionals } = parseCommand(args, {
      'model-package': { type: 'string' },
      reason: { type: 'string' },
      region: { type: 'string' },
      approver: { type: 'string' },
      environment: { type: 'string' },
    });
    if (values.help) {
      ctx.output.out(`${rejectUsage}\n`);
      return ExitCode.Success;
    }
    if (positionals.length !== 1) throw new UsageError('reject takes exactly one spec file');
    const arn = values['model-package'];
    if (!arn) throw new UsageError('--model-package ARN is required: a rejection names the exact version');
    if (!/^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[^/]+\/\d+$/.test(arn)) throw new UsageError(`--model-package must be a versioned model package ARN, got ${JSON.stringify(arn)}`);
    if (!values.reason?.trim()) throw new UsageError('--reason TEXT is required: it is recorded with the rejection');
    const region = resolveRegion(ctx.env, values.region ?? /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):/.exec(arn)?.[1]);
    // The spec is loaded so that `reject` is run against the same spec as `release` (a typo fails here).
    const root = findRepositoryRoot(ctx.fs, ctx.fs.cwd());
    const compiled = compileSpecFile({ fs: ctx.fs, root, files: ctx.sourceFiles(root), file: positionals[0] as string, options: { region }, validateOnly: true });
    ctx.output.err(renderDiagnostics(compiled.diagnostics));
    if (!compiled.ok) return ExitCode.InvalidInput;
    const approver = await resolveApprover({
      env: ctx.env,
      fetch: fetchPort,
      ...(ctx.env.GITHUB_TOKEN ? { token: ctx.env.GITHUB_TOKEN } : {}),
      ...(values.environment ? { environment: values.environment } : {}),
      ...(values.approver ? { stated: values.approver } : {}),
    });
    const origin = runOrigin(ctx.env);
    const spec = compiled.load?.spec;
    const group = spec ? (spec.release?.modelPackageGroup ?? registeredGroup(spec)) : undefined;
    let result;
    try {
      result = await reject(
        { arn, reason: values.reason, approver, ...(origin.runUrl ? { runUrl: origin.runUrl } : {}), ...(group ? { group } : {}) },
        { sagemaker: ctx.clients(region).sagemaker },
      );
    } catch (error) {
      if (!(error instanceof ReleaseInputError)) throw error;
      ctx.output.err(`smpk reject: ${error.message}\n`);
      return ExitCode.InvalidInput;
    }
    ctx.output.out(
      result.approval.action === 'rejected'
        ? `rejected ${arn}: ${result.approval.description}\n`
        : `${arn} was already Rejected (${result.approval.previousDescription ?? 'no description'}); left as it was\n`,
    );
    return ExitCode.Success;
  };
}

export const rejectCommand = makeRejectCommand();
