/**
 * `release`: the manual release gate after a human approved the CI job. Picks the model package,
 * records the approval in the Model Registry, deploys it (model → endpoint config → create or
 * blue/green update), waits for InService on the new config, smoke-tests it, and sets up
 * monitoring. Whatever fails, the result says what failed and what the endpoint serves, and an
 * update that does not come up healthy leaves (or puts back) the previous config serving.
 */
import { findEndpoint, updateEndpoint, type EndpointDescription, type ResourceTag } from '../aws/endpoints.js';
import { describeAwsError } from '../aws/errors.js';
import { describeModelPackage } from '../aws/model-registry.js';
import type { RuntimePort } from '../aws/runtime.js';
import type { SageMakerPort } from '../aws/sagemaker.js';
import { approvePackage, rejectPackage, type ApprovalResult, type Approver } from './approve.js';
import type { Clock } from './clock.js';
import { deploymentConfig, endpointConfigBody, endpointConfigName, ensureEndpointConfig, ensureModel, modelName, startDeployment, tagValue } from './deploy.js';
import { verifyServing, waitForEndpoint, type EndpointWait, type EndpointWaitReporter } from './endpoint-wait.js';
import { selectPackage, type SelectedPackage } from './model-package.js';
import { ensureMonitoringSchedule, MonitoringSetupError, packageBaseline, type MonitoringResult } from './monitoring.js';
import { ReleaseInputError, type ReleaseSettings } from './release-settings.js';
import { smokeTest, type SmokeResult } from './smoke-test.js';

/** deployed: serving and checked; invalid: refused before any change; failed / rolled-back: exit 1; deadline: exit 4. */
export type ReleaseOutcome = 'deployed' | 'invalid' | 'failed' | 'rolled-back' | 'deadline';

export interface ReleaseResult {
  outcome: ReleaseOutcome;
  /** One paragraph: what happened, and on failure what failed and what the endpoint serves now. */
  message: string;
  endpointName: string;
  modelPackage?: { arn: string; group?: string; version?: number; approvalStatus: string; skipped: SelectedPackage['skipped'] };
  approver?: Approver;
  approval?: ApprovalResult;
  modelName?: string;
  endpointConfigName?: string;
  /** The config the endpoint served before this release (updates only). */
  previousConfigName?: string;
  deployment?: 'created' | 'updated' | 'unchanged';
  /** EndpointStatus values seen while waiting, in order (rollback included). */
  transitions: string[];
  /** The endpoint's status and config when the release ended, as last described. */
  endpointStatus?: string;
  servingConfigName?: string;
  smoke?: SmokeResult;
  rollback?: { outcome: EndpointWait['outcome']; status?: string; configName?: string };
  monitoring: MonitoringResult[];
  /** The step that failed: select, approve, CreateModel, CreateEndpointConfig, deploy, wait, verify, smoke-test, rollback, monitoring. */
  failedAt?: string;
}

export interface ReleaseRequest {
  settings: ReleaseSettings;
  region: string;
  modelPackageArn?: string;
  /** Approve a PendingManualApproval package (the CI job's own approval is the human decision). False: require Approved. */
  approve: boolean;
  approver: Approver;
  runUrl?: string;
  intervalMs?: number;
  signal?: AbortSignal;
}

export interface ReleaseReporter extends EndpointWaitReporter {
  /** A line of the account (package chosen, approval, model, config…). */
  step?(line: string): void;
}

export interface ReleaseDeps {
  sagemaker: SageMakerPort;
  runtime: RuntimePort;
  clock: Clock;
  random: () => number;
  reporter?: ReleaseReporter;
}

function errorText(error: unknown, operation: string): string {
  if (error instanceof ReleaseInputError || error instanceof MonitoringSetupError) return error.message;
  if (error instanceof Error && typeof (error as { $metadata?: unknown }).$metadata === 'object') return describeAwsError(error, operation);
  return error instanceof Error ? error.message : String(error);
}

/** Runs the release (see the module comment). Never throws for AWS or input failures: they are in the result. */
export async function release(request: ReleaseRequest, deps: ReleaseDeps): Promise<ReleaseResult> {
  const { settings } = request;
  const { sagemaker, clock, reporter } = deps;
  const endpointName = settings.endpointName;
  const result: ReleaseResult = { outcome: 'failed', message: '', endpointName, transitions: [], monitoring: [] };
  const say = (line: string) => reporter?.step?.(line);
  const end = (outcome: ReleaseOutcome, message: string, failedAt?: string): ReleaseResult => {
    result.outcome = outcome;
    result.message = message;
    if (failedAt) result.failedAt = failedAt;
    return result;
  };
  const waitReporter: EndpointWaitReporter = {
    status: (s, d) => reporter?.status?.(s, d),
    unknownStatus: (s) => reporter?.unknownStatus?.(s),
    retrying: (m) => reporter?.retrying?.(m),
  };

  // 1. The package, and every check that can refuse the release before anything changes.
  let pkg: SelectedPackage;
  try {
    pkg = await selectPackage(sagemaker, { ...(request.modelPackageArn ? { arn: request.modelPackageArn } : {}), ...(settings.modelPackageGroup ? { group: settings.modelPackageGroup } : {}) });
  } catch (error) {
    if (error instanceof ReleaseInputError) return end('invalid', error.message, 'select');
    throw error;
  }
  result.modelPackage = { arn: pkg.arn, approvalStatus: pkg.approvalStatus, skipped: pkg.skipped, ...(pkg.group ? { group: pkg.group } : {}), ...(pkg.version !== undefined ? { version: pkg.version } : {}) };
  say(`model package: ${pkg.arn} (version ${pkg.version ?? '?'}, ${pkg.approvalStatus})`);
  for (const s of pkg.skipped) say(`  skipped newer ${s.arn}: ${s.reason}`);
  if (pkg.approvalStatus !== 'Approved' && !request.approve) {
    return end('invalid', `Model package ${pkg.arn} is ${pkg.approvalStatus}, not Approved; approve it first (smpk release or the approve-model action), nothing was deployed.`, 'approve');
  }
  for (const m of settings.monitoring) {
    if (!packageBaseline(pkg.description, m.kind)) {
      const field = m.kind === 'DataQuality' ? 'ModelDataQuality' : 'ModelQuality';
      return end(
        'invalid',
        `${m.kind} monitoring needs a baseline, but model package ${pkg.arn} has neither DriftCheckBaselines.${field} nor ModelMetrics.${field}; register it with the outputs of step ${m.baselineStep}. Nothing was approved or deployed.`,
        'monitoring',
      );
    }
  }

  // 2. The endpoint as it is now: only an InService endpoint (or none) can take a new config.
  //    Checked before the approval, so a release that cannot go ahead changes nothing.
  let existing: EndpointDescription | undefined;
  try {
    existing = await findEndpoint(sagemaker, endpointName);
  } catch (error) {
    return end('failed', `${errorText(error, 'DescribeEndpoint')}. Nothing was approved or deployed.`, 'deploy');
  }
  if (existing && existing.EndpointStatus !== 'InService') {
    result.endpointStatus = existing.EndpointStatus ?? 'Unknown';
    if (existing.EndpointConfigName) result.servingConfigName = existing.EndpointConfigName;
    const hint =
      existing.EndpointStatus === 'Failed'
        ? ` (${existing.FailureReason ?? 'no reason given'}). A failed endpoint cannot be updated: delete it (aws sagemaker delete-endpoint --endpoint-name ${endpointName}) and release again.`
        : '; another deployment or a SageMaker update is in progress. Release again when it is InService.';
    return end('failed', `Endpoint ${endpointName} is ${existing.EndpointStatus ?? 'in an unknown state'}${hint} Nothing was approved or deployed.`, 'deploy');
  }
  if (existing?.EndpointConfigName) result.previousConfigName = existing.EndpointConfigName;
  const previousState = existing ? `The endpoint still serves ${existing.EndpointConfigName ?? 'its previous config'}.` : 'No endpoint was created.';

  // 3. Approval, recorded with who and from which run.
  result.approver = request.approver;
  try {
    result.approval = await approvePackage(sagemaker, {
      arn: pkg.arn,
      currentStatus: pkg.approvalStatus,
      approver: request.approver,
      ...(pkg.description.ApprovalDescription ? { currentDescription: pkg.description.ApprovalDescription } : {}),
      ...(request.runUrl ? { runUrl: request.runUrl } : {}),
    });
  } catch (error) {
    return end('failed', `Approving ${pkg.arn} failed: ${errorText(error, 'UpdateModelPackage')}. Nothing was deployed.`, 'approve');
  }
  result.modelPackage.approvalStatus = 'Approved';
  say(
    result.approval.action === 'approved'
      ? `approved by ${request.approver.name} (${request.approver.source})${request.approver.note ? ` — ${request.approver.note}` : ''}`
      : `already Approved, left as it was${result.approval.previousDescription ? ` (${result.approval.previousDescription})` : ''}; deploying for ${request.approver.name}`,
  );

  // 4. Model and endpoint config (named from their content: a re-run reuses them).
  const tags: ResourceTag[] = [{ Key: 'smpk:model-package-arn', Value: tagValue(pkg.arn) }, ...(request.runUrl ? [{ Key: 'smpk:run-url', Value: tagValue(request.runUrl) }] : [])];
  const model = modelName(pkg.arn, pkg.group, pkg.version);
  result.modelName = model;
  try {
    const created = await ensureModel(sagemaker, { name: model, packageArn: pkg.arn, roleArn: settings.roleArn, tags });
    say(`model: ${model}${created ? '' : ' (exists, reused)'}`);
  } catch (error) {
    return end('failed', `Creating model ${model} failed: ${errorText(error, 'CreateModel')}. ${previousState}`, 'CreateModel');
  }
  const body = endpointConfigBody(settings.release, model, tags);
  const configName = endpointConfigName(endpointName, pkg.version, body);
  result.endpointConfigName = configName;
  try {
    const created = await ensureEndpointConfig(sagemaker, { EndpointConfigName: configName, ...body });
    say(`endpoint config: ${configName}${created ? '' : ' (exists, reused)'}`);
  } catch (error) {
    return end('failed', `Creating endpoint config ${configName} failed: ${errorText(error, 'CreateEndpointConfig')}. ${previousState}`, 'CreateEndpointConfig');
  }

  // 5. Create or update, and wait for InService on the new config.
  const deadline = clock.now() + settings.timeoutMinutes * 60_000;
  const waitInput = { endpointName, expectedConfig: configName, deadline, ...(request.intervalMs !== undefined ? { intervalMs: request.intervalMs } : {}), ...(request.signal ? { signal: request.signal } : {}) };
  const waitDeps = { sagemaker, clock, random: deps.random, reporter: waitReporter };
  let wait: EndpointWait | undefined;
  if (existing?.EndpointConfigName === configName) {
    result.deployment = 'unchanged';
    say(`endpoint ${endpointName} already serves ${configName}; checking it`);
    result.endpointStatus = existing.EndpointStatus ?? 'InService';
    result.servingConfigName = configName;
  } else {
    const deployment = existing ? deploymentConfig(settings.release, settings.timeoutMinutes) : undefined;
    try {
      result.deployment = await startDeployment(sagemaker, { endpointName, configName, exists: Boolean(existing), tags, ...(deployment ? { deployment } : {}) });
    } catch (error) {
      return end('failed', `${existing ? 'UpdateEndpoint' : 'CreateEndpoint'} for ${endpointName} failed: ${errorText(error, existing ? 'UpdateEndpoint' : 'CreateEndpoint')}. ${previousState}`, 'deploy');
    }
    const routing = deployment?.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration;
    say(`endpoint ${endpointName}: ${result.deployment === 'created' ? 'creating' : `updating from ${existing?.EndpointConfigName ?? '?'}${routing ? ` (blue/green ${routing.Type})` : ''}`}`);
    try {
      wait = await waitForEndpoint(waitInput, waitDeps);
    } catch (error) {
      return end('failed', `Waiting for ${endpointName} failed: ${errorText(error, 'DescribeEndpoint')}. SageMaker goes on with the deployment; check the endpoint in the console.`, 'wait');
    }
    result.transitions.push(...wait.transitions);
    if (wait.status) result.endpointStatus = wait.status;
    if (wait.configName) result.servingConfigName = wait.configName;
    const reason = wait.failureReason ? `: ${wait.failureReason}` : '';
    switch (wait.outcome) {
      case 'in-service':
        break;
      case 'rolled-back':
        return end('rolled-back', `The update of ${endpointName} to ${configName} rolled back${reason}: the previous configuration keeps serving (${wait.configName ?? result.previousConfigName ?? '?'}).`, 'deploy');
      case 'failed':
        return end('failed', `Endpoint ${endpointName} failed${reason || ' (no FailureReason given)'}. ${existing ? `It serves ${wait.configName ?? '?'}.` : 'It is in Failed: delete it before releasing again.'}`, 'deploy');
      case 'out-of-service':
        return end('failed', `Endpoint ${endpointName} went OutOfService${reason}; it serves no traffic.`, 'deploy');
      case 'rollback-failed':
        return end('failed', `The update of ${endpointName} failed and so did SageMaker's rollback (UpdateRollbackFailed${reason}); the endpoint needs attention in the console.`, 'deploy');
      case 'deleting':
        return end('failed', `Endpoint ${endpointName} is being deleted (by someone else) while this release waited for it.`, 'deploy');
      case 'deadline':
        return end('deadline', `Stopped waiting after ${settings.timeoutMinutes} minutes: ${endpointName} is still ${wait.status ?? 'deploying'}${wait.configName ? ` on ${wait.configName}` : ''}; SageMaker goes on with the deployment${existing ? ` (and rolls back by itself if it exceeds MaximumExecutionTimeoutInSeconds)` : ''}.`, 'wait');
      case 'cancelled':
        return end('failed', `The job was cancelled while ${endpointName} was ${wait.status ?? 'deploying'}; SageMaker goes on with the deployment.`, 'wait');
    }
  }

  // 6. Verify it serves the new config, then smoke-test it; an update that fails either is rolled back.
  const failAfterDeploy = async (what: string, failedAt: string): Promise<ReleaseResult> => {
    const previous = result.previousConfigName;
    if (existing && result.deployment === 'unchanged') {
      return end('failed', `${what}. The endpoint already served ${configName} before this release, so there is nothing to roll back to; it serves ${configName} still.`, failedAt);
    }
    if (!existing || !previous) {
      // A new endpoint served nobody before: it is left in place for diagnosis (logs, the failing
      // request), and deleting it is one command away. Deleting it here would hide the evidence.
      return end('failed', `${what}. The new endpoint ${endpointName} was left in place on ${configName} but failed the check; delete it with: aws sagemaker delete-endpoint --endpoint-name ${endpointName}`, failedAt);
    }
    say(`rolling back ${endpointName} to ${previous}`);
    try {
      await updateEndpoint(sagemaker, endpointName, previous);
      // The rollback gets a full timeout of its own: putting the old config back matters more than the job's budget.
      const back = await waitForEndpoint({ ...waitInput, expectedConfig: previous, deadline: clock.now() + settings.timeoutMinutes * 60_000 }, waitDeps);
      result.transitions.push(...back.transitions);
      result.rollback = { outcome: back.outcome, ...(back.status ? { status: back.status } : {}), ...(back.configName ? { configName: back.configName } : {}) };
      if (back.status) result.endpointStatus = back.status;
      if (back.configName) result.servingConfigName = back.configName;
      if (back.outcome === 'in-service') return end('rolled-back', `${what}. Rolled back: the previous configuration ${previous} serves again.`, failedAt);
      return end('failed', `${what}. The rollback to ${previous} did not complete (${back.outcome}, endpoint ${back.status ?? '?'} on ${back.configName ?? '?'}); the endpoint needs attention.`, 'rollback');
    } catch (error) {
      return end('failed', `${what}. The rollback to ${previous} failed: ${errorText(error, 'UpdateEndpoint')}; the endpoint serves ${configName}.`, 'rollback');
    }
  };

  const serving = wait?.last ?? existing;
  if (serving) {
    const problems = verifyServing(serving, configName);
    if (problems.length) return failAfterDeploy(`Endpoint ${endpointName} is InService but ${problems.join('; ')}`, 'verify');
    const variants = (serving.ProductionVariants ?? []).map((v) => `${v.VariantName ?? '?'} weight ${v.CurrentWeight ?? '?'}, ${v.CurrentServerlessConfig ? 'serverless' : `${v.CurrentInstanceCount ?? '?'} instance(s)`}`);
    say(`serving ${configName}: ${variants.join('; ')}`);
  }
  if (settings.smokeTest) {
    if (settings.release.asyncInference) {
      say('smoke test skipped: an asynchronous endpoint takes its input from S3, not InvokeEndpoint');
    } else {
      result.smoke = await smokeTest(endpointName, settings.smokeTest, { runtime: deps.runtime, clock });
      say(`smoke test: ${result.smoke.ok ? 'passed' : 'FAILED'} — ${result.smoke.message}`);
      // What the model said, so a reader sees the endpoint work (untrusted text: the reporter prints it as one sanitised line).
      if (result.smoke.responseExcerpt !== undefined) say(`endpoint answered: ${result.smoke.responseExcerpt.trim()}`);
      if (!result.smoke.ok) return failAfterDeploy(`Smoke test of ${endpointName} failed: ${result.smoke.message}`, 'smoke-test');
    }
  }

  // 7. Monitoring, once the endpoint is known good. The new config serves whatever happens here.
  for (const m of settings.monitoring) {
    try {
      const r = await ensureMonitoringSchedule(sagemaker, m, { endpointName, roleArn: settings.roleArn, region: request.region, modelPackage: pkg.description });
      result.monitoring.push(r);
      say(`monitoring: ${r.scheduleName} ${r.action} (${m.kind}, ${r.schedule}, baseline from ${r.baseline.from})`);
    } catch (error) {
      return end('failed', `${endpointName} serves ${configName}, but setting up ${m.kind} monitoring failed: ${errorText(error, 'monitoring')}.`, 'monitoring');
    }
  }
  return end('deployed', `${endpointName} serves ${configName} (model ${model}, package ${pkg.arn}).`);
}

export interface RejectResult {
  arn: string;
  approval: ApprovalResult;
}

/**
 * `reject`: marks a package Rejected with the reason and who decided. A package that is Approved is
 * rejected too (an explicit decision); endpoints that serve it are not touched.
 */
export async function reject(
  request: { arn: string; reason: string; approver: Approver; runUrl?: string; group?: string },
  deps: { sagemaker: SageMakerPort },
): Promise<RejectResult> {
  const d = await describeModelPackage(deps.sagemaker, request.arn);
  const group = d.ModelPackageGroupName;
  if (request.group && group && group !== request.group && !request.group.endsWith(`/${group}`)) {
    throw new ReleaseInputError(`Model package ${request.arn} belongs to group ${group}, not to ${request.group} of this spec; nothing was rejected.`);
  }
  const approval = await rejectPackage(deps.sagemaker, {
    arn: request.arn,
    currentStatus: d.ModelApprovalStatus ?? 'Unknown',
    approver: request.approver,
    reason: request.reason,
    ...(d.ApprovalDescription ? { currentDescription: d.ApprovalDescription } : {}),
    ...(request.runUrl ? { runUrl: request.runUrl } : {}),
  });
  return { arn: request.arn, approval };
}
