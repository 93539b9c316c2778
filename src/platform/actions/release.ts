/**
 * The approve-model and deploy-endpoint actions. Both run in a job bound to a protected
 * environment, so the job's own approval is the human decision they record. Outputs are set as
 * soon as known; the job summary (who approved, the package ARN, the run URL) is written whatever
 * happens.
 */
import { resolveRegion } from '../../aws/clients.js';
import { approvePackage, sanitizeText } from '../../ops/approve.js';
import { compileSpecFile } from '../../ops/compile.js';
import { selectPackage } from '../../ops/model-package.js';
import { release, type ReleaseResult } from '../../ops/release.js';
import { ReleaseInputError, releaseSettings, type ReleaseSettings } from '../../ops/release-settings.js';
import { findRepositoryRoot } from '../../ops/spec-files.js';
import { resolveApprover, type FetchPort } from '../approver.js';
import { runOrigin } from '../ci-env.js';
import { annotateAll, InputError, positiveNumberInput, type ActionIO } from '../github.js';
import { escapeMarkdown, link, table } from '../markdown.js';
import { releaseSummary } from '../release-summary.js';
import { renderDiagnostics } from '../terminal.js';
import type { ActionHost } from './host.js';

const realFetch: FetchPort = (url, init) => fetch(url, init);

/**
 * A log line from text that may come from the service or the model (FailureReason, ModelError
 * messages): one line without control characters, so it cannot start a `::workflow-command::` line.
 */
function logLine(text: string): string {
  return sanitizeText(text, 4000);
}

function loadSettings(io: ActionIO, host: ActionHost, region: string): ReleaseSettings {
  const spec = io.input('spec');
  if (!spec) throw new InputError('input spec is required');
  const root = findRepositoryRoot(host.fs, host.fs.cwd());
  const compiled = compileSpecFile({ fs: host.fs, root, files: host.sourceFiles(root), file: spec, options: { region }, validateOnly: true });
  const text = renderDiagnostics(compiled.diagnostics);
  if (text) io.info(text.trimEnd());
  annotateAll(io, compiled.diagnostics);
  if (!compiled.ok || !compiled.load?.spec) throw new InputError(`${spec} is not valid; nothing was approved or deployed`);
  const roleArn = io.input('role-arn');
  try {
    return releaseSettings({ spec: compiled.load.spec, specFile: spec, fs: host.fs, root, env: host.env, ...(roleArn ? { roleFlag: roleArn } : {}) });
  } catch (error) {
    if (error instanceof ReleaseInputError) throw new InputError(error.message);
    throw error;
  }
}

function approverFor(io: ActionIO, host: ActionHost, fetchPort: FetchPort) {
  const token = io.input('github-token') || host.env.GITHUB_TOKEN;
  const environment = io.input('environment');
  const stated = io.input('approver');
  return resolveApprover({ env: host.env, fetch: fetchPort, ...(token ? { token } : {}), ...(environment ? { environment } : {}), ...(stated ? { stated } : {}) });
}

/** Runs approve-model: picks the package and marks it Approved (no deployment). */
export function makeApproveModelAction(fetchPort: FetchPort = realFetch) {
  return async function approveModelAction(io: ActionIO, host: ActionHost): Promise<void> {
    const region = resolveRegion(host.env, io.input('region') || undefined);
    const settings = loadSettings(io, host, region);
    const runUrl = runOrigin(host.env).runUrl;
    const approver = await approverFor(io, host, fetchPort);
    io.output('approved-by', approver.name);
    if (approver.note) io.warning(logLine(`approver: ${approver.note}`));
    const sagemaker = host.clients(region).sagemaker;
    let arn = '';
    let outcome = 'not approved';
    try {
      const arnInput = io.input('model-package-arn');
      const pkg = await selectPackage(sagemaker, { ...(arnInput ? { arn: arnInput } : {}), ...(settings.modelPackageGroup ? { group: settings.modelPackageGroup } : {}) });
      arn = pkg.arn;
      io.output('model-package-arn', arn);
      const approval = await approvePackage(sagemaker, {
        arn,
        currentStatus: pkg.approvalStatus,
        approver,
        ...(pkg.description.ApprovalDescription ? { currentDescription: pkg.description.ApprovalDescription } : {}),
        ...(runUrl ? { runUrl } : {}),
      });
      outcome = approval.action === 'approved' ? 'approved' : 'already Approved (unchanged)';
      io.info(logLine(`${arn}: ${outcome} — ${approval.action === 'approved' ? approval.description : (approval.previousDescription ?? '')}`));
    } catch (error) {
      if (error instanceof ReleaseInputError) throw new InputError(error.message);
      throw error;
    } finally {
      await io.summary(
        `### Model approval: ${escapeMarkdown(outcome)}\n\n${table(['', ''], [
          ['Model package', arn || 'none selected'],
          ['Approved by', `${approver.name} (${approver.source})${approver.note ? ` — ${approver.note}` : ''}`],
        ])}\nRun: ${runUrl ? link(runUrl, runUrl) : 'not in CI'}\n`,
      );
    }
  };
}

/** Runs deploy-endpoint: the whole release (approval unless `approve: false`, deploy, wait, smoke test, monitoring). */
export function makeDeployEndpointAction(fetchPort: FetchPort = realFetch) {
  return async function deployEndpointAction(io: ActionIO, host: ActionHost): Promise<void> {
    const region = resolveRegion(host.env, io.input('region') || undefined);
    let settings: ReleaseSettings;
    try {
      settings = loadSettings(io, host, region);
    } catch (error) {
      // Refused before anything changed; the summary still says so, with the run.
      const runUrl = runOrigin(host.env).runUrl;
      await io.summary(`### Release refused: invalid input\n\n${escapeMarkdown(error instanceof Error ? error.message : String(error), 2000)}\n\nNothing was approved or deployed. Run: ${runUrl ? link(runUrl, runUrl) : 'not in CI'}\n`);
      throw error;
    }
    const timeout = positiveNumberInput(io, 'timeout-minutes');
    if (timeout !== undefined) {
      settings.timeoutMinutes = timeout;
    }
    const runUrl = runOrigin(host.env).runUrl;
    const approver = await approverFor(io, host, fetchPort);
    io.output('approved-by', approver.name);
    io.output('endpoint-name', settings.endpointName);
    if (approver.note) io.warning(logLine(`approver: ${approver.note}`));
    const clients = host.clients(region);
    const arnInput = io.input('model-package-arn');
    let result: ReleaseResult | undefined;
    try {
      result = await release(
        {
          settings,
          region,
          approve: io.flag('approve', true),
          approver,
          signal: host.signal,
          ...(arnInput ? { modelPackageArn: arnInput } : {}),
          ...(runUrl ? { runUrl } : {}),
        },
        {
          sagemaker: clients.sagemaker,
          runtime: clients.runtime,
          clock: host.clock,
          random: () => host.random(),
          reporter: {
            step: (line) => io.info(logLine(line)),
            status: (s, d) => {
              io.output('endpoint-status', s);
              io.info(logLine(`endpoint ${settings.endpointName}: ${s}${d.EndpointConfigName ? ` (${d.EndpointConfigName})` : ''}${d.FailureReason ? ` — ${d.FailureReason}` : ''}`));
            },
            unknownStatus: (s) => io.warning(logLine(`unknown endpoint status ${s}; still waiting`)),
            retrying: (m) => io.warning(logLine(m)),
          },
        },
      );
      if (result.modelPackage) io.output('model-package-arn', result.modelPackage.arn);
      if (result.endpointConfigName) io.output('endpoint-config-name', result.endpointConfigName);
      io.output('endpoint-status', result.endpointStatus ?? '');
      io.output('release-outcome', result.outcome);
      if (result.outcome !== 'deployed') io.fail(`Release ${result.outcome === 'rolled-back' ? 'failed and rolled back' : result.outcome}: ${result.message}`);
      else io.info(logLine(`released: ${result.message}`));
    } finally {
      await io.summary(
        result
          ? releaseSummary(result, runUrl)
          : `### Release to ${escapeMarkdown(settings.endpointName)} did not finish\n\nApprover: ${escapeMarkdown(approver.name)}; run: ${runUrl ? link(runUrl, runUrl) : 'not in CI'}. See the log.\n`,
      );
    }
  };
}
