/** How watch progress reads in a terminal or CI log: one line per transition, a table at the end. */
import type { StepSummary, WatchReporter } from '../ops/watch.js';
import type { Clock } from '../ops/clock.js';
import type { Output } from './terminal.js';

/** `1h02m`, `3m05s`, `42s`. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds < 1) return '<1s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

const time = (clock: Clock) => new Date(clock.now()).toISOString().slice(11, 19);

/** A WatchReporter that writes timestamped lines (UTC) as things happen. */
export function terminalWatchReporter(output: Output, clock: Clock): WatchReporter {
  return {
    status: (status) => output.out(`[${time(clock)}] execution ${status}\n`),
    stepChanged: (step, previous) => {
      const details = [
        step.durationSeconds !== undefined && step.status !== 'Executing' ? formatDuration(step.durationSeconds) : '',
        step.cacheHitSource ? 'cache hit' : '',
        step.attempts && step.attempts > 1 ? `attempt ${step.attempts}` : '',
        step.failureReason ? step.failureReason : '',
      ].filter(Boolean);
      output.out(`[${time(clock)}] ${step.name}: ${previous ? `${previous} → ` : ''}${step.status}${details.length ? ` (${details.join(', ')})` : ''}\n`);
    },
    retrying: (message) => output.err(`[${time(clock)}] ${message}\n`),
    unknownStatus: (status) => output.err(`[${time(clock)}] warning: SageMaker reported status ${JSON.stringify(status)}, unknown to this version of smpk; still watching\n`),
    stopping: (arn) => output.err(`[${time(clock)}] job cancelled: stopping ${arn}\n`),
  };
}

/** A plain-text step table (status, duration, cache, attempts, failure reason). */
export function renderStepTable(steps: readonly StepSummary[]): string {
  if (steps.length === 0) return '(no steps reported)\n';
  const rows = [
    ['Step', 'Status', 'Duration', 'Cache', 'Attempts', 'Failure'],
    ...[...steps]
      .sort((a, b) => (a.startTime?.getTime() ?? Infinity) - (b.startTime?.getTime() ?? Infinity) || a.name.localeCompare(b.name))
      .map((s) => [
        s.name,
        s.status,
        formatDuration(s.durationSeconds),
        s.cacheHitSource ? 'hit' : '',
        s.attempts !== undefined ? String(s.attempts) : '',
        (s.failureReason ?? '').replace(/\s+/g, ' ').slice(0, 100),
      ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}
