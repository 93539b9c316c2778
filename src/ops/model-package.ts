/**
 * Which model package a release deploys. The rule: the ARN given, or else the newest *completed*
 * package version in the group whose approval status is PendingManualApproval or Approved —
 * newer Rejected versions are skipped (a reviewer said no to them) and reported. A package given
 * by ARN that is Rejected, or not Completed, is refused: invalid input, nothing changes.
 */
import { describeModelPackage, listModelPackagesPage, type ModelPackageDescription } from '../aws/model-registry.js';
import type { SageMakerPort } from '../aws/sagemaker.js';
import { ReleaseInputError } from './release-settings.js';

export interface SelectedPackage {
  arn: string;
  group?: string;
  version?: number;
  approvalStatus: string;
  description: ModelPackageDescription;
  /** Newer versions passed over, with why (Rejected, still InProgress…). */
  skipped: { arn: string; reason: string }[];
}

/** Pages read at most while looking for a candidate (100 versions a page). */
const MAX_PAGES = 10;

function groupOf(arn: string): string | undefined {
  return /:model-package\/([^/]+)\/\d+$/.exec(arn)?.[1];
}

/** Picks the package to release (see the module comment for the rule). */
export async function selectPackage(client: SageMakerPort, input: { arn?: string; group?: string }): Promise<SelectedPackage> {
  if (input.arn) {
    const d = await describeModelPackage(client, input.arn);
    const status = d.ModelApprovalStatus ?? 'Unknown';
    if (status === 'Rejected') {
      throw new ReleaseInputError(`Model package ${input.arn} is Rejected${d.ApprovalDescription ? ` (${d.ApprovalDescription})` : ''}; a rejected package is never deployed. Register a new version, or approve this one deliberately in the Model Registry first.`);
    }
    if (d.ModelPackageStatus && d.ModelPackageStatus !== 'Completed') {
      throw new ReleaseInputError(`Model package ${input.arn} is ${d.ModelPackageStatus}, not Completed; it cannot be deployed.`);
    }
    const group = d.ModelPackageGroupName ?? groupOf(input.arn);
    if (input.group && group && group !== input.group && !input.group.endsWith(`/${group}`)) {
      throw new ReleaseInputError(`Model package ${input.arn} belongs to group ${group}, but this release deploys from ${input.group}.`);
    }
    return { arn: input.arn, ...(group ? { group } : {}), ...(d.ModelPackageVersion !== undefined ? { version: d.ModelPackageVersion } : {}), approvalStatus: status, description: d, skipped: [] };
  }
  if (!input.group) {
    throw new ReleaseInputError('No model package group: the spec has no register-model step with a plain-text group and no release.modelPackageGroup; set one or pass --model-package.');
  }
  const skipped: SelectedPackage['skipped'] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await listModelPackagesPage(client, input.group, token);
    for (const p of listed.packages) {
      const arn = p.ModelPackageArn ?? '';
      if (p.ModelPackageStatus !== 'Completed') {
        skipped.push({ arn, reason: `status ${p.ModelPackageStatus ?? 'unknown'}` });
        continue;
      }
      if (p.ModelApprovalStatus === 'PendingManualApproval' || p.ModelApprovalStatus === 'Approved') {
        const d = await describeModelPackage(client, arn);
        return {
          arn,
          // The name, also when the group was given as an ARN (names are built from it).
          group: d.ModelPackageGroupName ?? p.ModelPackageGroupName ?? input.group,
          ...(d.ModelPackageVersion !== undefined ? { version: d.ModelPackageVersion } : p.ModelPackageVersion !== undefined ? { version: p.ModelPackageVersion } : {}),
          approvalStatus: d.ModelApprovalStatus ?? p.ModelApprovalStatus,
          description: d,
          skipped,
        };
      }
      skipped.push({ arn, reason: p.ModelApprovalStatus ?? 'no approval status' });
    }
    if (!listed.nextToken) break;
    token = listed.nextToken;
  }
  throw new ReleaseInputError(
    `Model package group ${input.group} has no completed version that is PendingManualApproval or Approved${skipped.length ? ` (${skipped.length} newer version${skipped.length === 1 ? '' : 's'} skipped: ${skipped.slice(0, 3).map((s) => `${s.arn} ${s.reason}`).join(', ')})` : ''}.`,
  );
}
