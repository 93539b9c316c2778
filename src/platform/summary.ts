/** Markdown summaries of runs and builds for the GitHub job summary (and GitLab artifacts). */
import { jobLogUrl } from '../aws/logs.js';
import { executionConsoleUrl } from '../aws/sagemaker.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import type { WatchResult } from '../ops/watch.js';
import { code, escapeMarkdown, link, raw, table } from './markdown.js';
import { formatDuration } from './progress.js';

const OUTCOME_TITLE: Record<WatchResult['outcome'], string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  stopped: 'was stopped',
  deadline: 'is still running (stopped waiting)',
  cancelled: 'was cancelled',
};

/** The summary of one pipeline execution: outcome, links and the step table. */
export function executionSummary(input: { pipelineName: string; region: string; executionArn: string; watch?: WatchResult }): string {
  const { watch } = input;
  const title = watch ? OUTCOME_TITLE[watch.outcome] : 'started';
  let md = `### Pipeline ${escapeMarkdown(input.pipelineName)} ${title}\n\n`;
  md += `Execution: ${link(input.executionArn, executionConsoleUrl(input.executionArn))}\n\n`;
  if (watch?.failureReason) md += `**Failure:** ${escapeMarkdown(watch.failureReason, 1000)}\n\n`;
  if (watch?.outcome === 'deadline') md += `Resume with ${code(`smpk watch ${input.executionArn}`, 400)} or the watch-pipeline action.\n\n`;
  if (watch && watch.steps.length) {
    md += table(
      ['Step', 'Status', 'Duration', 'Cache', 'Attempts', 'Failure reason', 'Logs'],
      watch.steps.map((s) => [
        s.name,
        s.status,
        formatDuration(s.durationSeconds),
        s.cacheHitSource ? 'hit' : '',
        s.attempts !== undefined ? String(s.attempts) : '',
        s.failureReason ?? '',
        raw(s.jobArn && s.jobKind ? link('logs', jobLogUrl(input.region, s.jobKind, s.jobArn)) : ''),
      ]),
    );
  }
  return md;
}

/** The summary of a validation: one row per problem. */
export function diagnosticsSummary(title: string, diagnostics: readonly Diagnostic[], checked: readonly { file: string; ok: boolean }[]): string {
  let md = `### ${escapeMarkdown(title)}\n\n`;
  md += table(['Spec', 'Result'], checked.map((c) => [c.file, c.ok ? 'valid' : 'invalid']));
  if (diagnostics.length) {
    md += `\n${table(
      ['Location', 'Severity', 'Problem', 'Hint'],
      diagnostics.slice(0, 200).map((d) => [`${d.file}:${d.line}:${d.column}`, d.severity, d.message, d.hint ?? '']),
    )}`;
    if (diagnostics.length > 200) md += `\n…and ${diagnostics.length - 200} more (see the log).\n`;
  }
  return md;
}
