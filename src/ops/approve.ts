/**
 * Approval in the Model Registry: UpdateModelPackage with ModelApprovalStatus and an
 * ApprovalDescription that records who decided and from which CI run. Names, reasons and URLs
 * come from CI variables, APIs and flags — untrusted text — so they are cleaned and bounded first.
 */
import { setApprovalStatus } from '../aws/model-registry.js';
import type { SageMakerPort } from '../aws/sagemaker.js';

/** Who approved, and how sure we are of it. */
export interface Approver {
  name: string;
  /** Where the name came from: `github-environment-approval`, `github-actor`, `gitlab-user`, `flag`, `local-user`. */
  source: string;
  /** Said in the account when the name is a fallback (e.g. the approvals API was not readable). */
  note?: string;
}

/** SageMaker's limit for ApprovalDescription. */
export const APPROVAL_DESCRIPTION_MAX = 1024;

/**
 * Untrusted text made safe to store and show: control characters (C0, C1, DEL) and bidirectional
 * overrides removed — they could hide or reorder what a reviewer reads in the console — whitespace
 * collapsed, length bounded.
 */
export function sanitizeText(text: unknown, maxLength: number): string {
  const cleaned = String(text ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...cleaned];
  return chars.length > maxLength ? `${chars.slice(0, Math.max(0, maxLength - 1)).join('')}…` : cleaned;
}

/** The ApprovalDescription: decision, who, from which run, and any reason; at most 1024 characters. */
export function approvalDescription(input: { decision: 'Approved' | 'Rejected'; approver: Approver; runUrl?: string; reason?: string }): string {
  const who = sanitizeText(input.approver.name, 100) || 'unknown';
  const parts = [`${input.decision} by ${who} (${sanitizeText(input.approver.source, 40)})`];
  if (input.runUrl) parts.push(`run ${sanitizeText(input.runUrl, 300)}`);
  if (input.reason) parts.push(`reason: ${sanitizeText(input.reason, 500)}`);
  parts.push('via smpk');
  return sanitizeText(parts.join('; '), APPROVAL_DESCRIPTION_MAX);
}

export interface ApprovalResult {
  action: 'approved' | 'already-approved' | 'rejected' | 'already-rejected';
  description: string;
  /** The description already on the package when nothing was changed. */
  previousDescription?: string;
}

/** Marks a package Approved; an Approved package is left as it is (its original record kept). */
export async function approvePackage(
  client: SageMakerPort,
  input: { arn: string; currentStatus: string; currentDescription?: string; approver: Approver; runUrl?: string },
): Promise<ApprovalResult> {
  const description = approvalDescription({ decision: 'Approved', approver: input.approver, ...(input.runUrl ? { runUrl: input.runUrl } : {}) });
  if (input.currentStatus === 'Approved') {
    // Re-approving would overwrite the record of who approved first; a redeploy is not a new approval.
    return { action: 'already-approved', description, ...(input.currentDescription ? { previousDescription: input.currentDescription } : {}) };
  }
  await setApprovalStatus(client, input.arn, 'Approved', description);
  return { action: 'approved', description };
}

/** Marks a package Rejected with the reason. */
export async function rejectPackage(
  client: SageMakerPort,
  input: { arn: string; currentStatus: string; currentDescription?: string; approver: Approver; runUrl?: string; reason: string },
): Promise<ApprovalResult> {
  const description = approvalDescription({ decision: 'Rejected', approver: input.approver, reason: input.reason, ...(input.runUrl ? { runUrl: input.runUrl } : {}) });
  if (input.currentStatus === 'Rejected') return { action: 'already-rejected', description, ...(input.currentDescription ? { previousDescription: input.currentDescription } : {}) };
  await setApprovalStatus(client, input.arn, 'Rejected', description);
  return { action: 'rejected', description };
}
