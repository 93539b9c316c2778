/** The release's job summary (GitHub) and its Markdown account: who approved, the package, the run, what happened. */
import type { RejectResult, ReleaseResult } from '../ops/release.js';
import { code, escapeMarkdown, link, table } from './markdown.js';

const TITLE: Record<ReleaseResult['outcome'], string> = {
  deployed: 'deployed',
  invalid: 'refused (invalid input)',
  failed: 'FAILED',
  'rolled-back': 'FAILED and rolled back',
  deadline: 'still deploying (stopped waiting)',
};

/** The summary of one release, written whatever its outcome. */
export function releaseSummary(result: ReleaseResult, runUrl: string | undefined): string {
  let md = `### Release to ${escapeMarkdown(result.endpointName)}: ${TITLE[result.outcome]}\n\n`;
  md += `${escapeMarkdown(result.message, 2000)}\n\n`;
  const rows: string[][] = [];
  if (result.modelPackage) rows.push(['Model package', `${result.modelPackage.arn} (${result.modelPackage.approvalStatus})`]);
  if (result.approver) rows.push(['Approved by', `${result.approver.name} (${result.approver.source})${result.approver.note ? ` — ${result.approver.note}` : ''}`]);
  if (result.approval) rows.push(['Approval', result.approval.action === 'approved' ? 'recorded now' : 'already Approved, unchanged']);
  if (result.modelName) rows.push(['Model', result.modelName]);
  if (result.endpointConfigName) rows.push(['Endpoint config', result.endpointConfigName]);
  if (result.previousConfigName) rows.push(['Previous config', result.previousConfigName]);
  if (result.deployment) rows.push(['Deployment', result.deployment]);
  if (result.transitions.length) rows.push(['Endpoint status', result.transitions.join(' → ')]);
  if (result.endpointStatus) rows.push(['Endpoint now', `${result.endpointStatus}${result.servingConfigName ? ` on ${result.servingConfigName}` : ''}`]);
  if (result.smoke) rows.push(['Smoke test', `${result.smoke.ok ? 'passed' : 'failed'}: ${result.smoke.message}`]);
  for (const m of result.monitoring) rows.push([`${m.kind} monitoring`, `${m.scheduleName} ${m.action} (${m.schedule}; baseline ${m.baseline.from})`]);
  if (result.failedAt) rows.push(['Failed at', result.failedAt]);
  md += table(['', ''], rows);
  md += `\nRun: ${runUrl ? link(runUrl, runUrl) : 'not in CI'}\n`;
  if (result.smoke?.responseExcerpt) md += `\nSmoke response (start): ${code(result.smoke.responseExcerpt, 300)}\n`;
  return md;
}

/** The summary of a rejection. */
export function rejectSummary(result: RejectResult, approverName: string, runUrl: string | undefined): string {
  return `### Model package rejected\n\n${table(['', ''], [
    ['Model package', result.arn],
    ['Rejected by', approverName],
    ['Record', result.approval.action === 'rejected' ? result.approval.description : `already Rejected: ${result.approval.previousDescription ?? ''}`],
  ])}\nRun: ${runUrl ? link(runUrl, runUrl) : 'not in CI'}\n`;
}
