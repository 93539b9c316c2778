/**
 * The gate's one report: the same content as Markdown (PR/MR comment, job summary, artifact) and as
 * plain text (terminal). Everything in it that comes from a spec, a report or SageMaker is
 * untrusted text — metric labels and values, step names, failure reasons — and is escaped for the
 * medium: Markdown through markdown.ts, Mermaid through numeric entities, the terminal by dropping
 * control characters (so a report cannot rewrite the log with ANSI sequences).
 */
import { jobLogUrl } from '../aws/logs.js';
import { executionConsoleUrl } from '../aws/sagemaker.js';
import type { JsonObject, JsonValue, StepDefinition } from '../compiler/types.js';
import { allDefinitionSteps, type GateResult } from '../ops/gate.js';
import { formatNumber, type GateVerdict, type MetricResult } from '../ops/metrics.js';
import type { StepSummary } from '../ops/watch.js';
import { escapeMarkdown, link, raw, table } from './markdown.js';
import { formatDuration, renderStepTable } from './progress.js';

/** GitHub rejects comment bodies longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** GitLab rejects notes longer than this. */
export const GITLAB_NOTE_LIMIT = 1_000_000;
/** What a comment body is cut to: below GitHub's limit with room to spare. */
export const DEFAULT_BODY_LIMIT = 65_000;

/**
 * The hidden marker that identifies the sticky comment of one pipeline. Pipeline names are
 * SageMaker names ([A-Za-z0-9-]), but anything else is replaced so the marker can never close the
 * HTML comment early.
 */
export function reportMarker(pipelineName: string): string {
  return `<!-- smpk:report pipeline=${pipelineName.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/-{2,}/g, '-').slice(0, 256)} -->`;
}

/**
 * Untrusted text set in code style. markdown.ts's `code` only escapes HTML, but GitHub and GitLab
 * still parse Markdown inside a `<code>` tag (links, mentions), so the text is Markdown-escaped too.
 */
function codeText(text: unknown, maxLength: number): string {
  return `<code>${escapeMarkdown(text, maxLength)}</code>`;
}

const VERDICT_TITLE: Record<GateVerdict, string> = {
  pass: '✅ Metric gate passed',
  fail: '❌ Metric gate failed',
  'no-baseline': '⚠️ Metric gate passed on thresholds only (no baseline)',
};

export interface ReportOptions {
  /** Region of the execution (log links). */
  region?: string;
  /** The CI run, where the full report (job summary) lives. */
  runUrl?: string;
  /** Maximum body length; default DEFAULT_BODY_LIMIT. */
  maxLength?: number;
}

function thresholdCell(m: MetricResult): string {
  const higher = m.direction === 'higher-is-better';
  const parts: string[] = [];
  if (m.threshold !== undefined) parts.push(`${higher ? '≥' : '≤'} ${formatNumber(m.threshold)}`);
  if (m.maxRegression) {
    const allowed = 'absolute' in m.maxRegression ? formatNumber(m.maxRegression.absolute) : `${formatNumber(m.maxRegression.relative * 100)}%`;
    parts.push(m.regressionLimit !== undefined ? `${higher ? '≥' : '≤'} ${formatNumber(m.regressionLimit)} (regression ≤ ${allowed})` : `regression ≤ ${allowed}`);
  }
  return parts.join('; ');
}

function resultCell(m: MetricResult): string {
  const head = m.status === 'pass' ? 'pass' : m.status === 'fail' ? 'FAIL' : 'missing (optional)';
  return m.reasons.length ? `${head}: ${m.reasons.join('; ')}` : head;
}

function deltaCell(m: MetricResult): string {
  if (m.delta === undefined) return '';
  return `${m.delta > 0 ? '+' : ''}${formatNumber(m.delta)}`;
}

function candidateCell(m: MetricResult): string {
  return m.candidate !== undefined ? formatNumber(m.candidate) : (m.candidateRaw ?? '—');
}

function baselineLine(result: GateResult): string {
  if (result.baseline) {
    const v = result.baseline.version !== undefined ? ` (version ${result.baseline.version})` : '';
    const note = result.baselineNote ? ` — ${escapeMarkdown(result.baselineNote, 300)}` : '';
    return `Baseline: latest Approved package ${codeText(result.baseline.modelPackageArn, 300)}${escapeMarkdown(v)}${note}`;
  }
  return `Baseline: none — ${escapeMarkdown(result.baselineNote ?? 'no Approved model package', 300)}. Regression limits were not checked; thresholds were.`;
}

function headerMarkdown(result: GateResult): string {
  const failing = result.metrics.filter((m) => m.status === 'fail').length;
  let md = `${reportMarker(result.pipelineName)}\n### ${VERDICT_TITLE[result.verdict]}: ${escapeMarkdown(result.pipelineName)}\n\n`;
  if (result.verdict === 'fail') md += `${failing} of ${result.metrics.length} metric rule${result.metrics.length === 1 ? '' : 's'} failed.\n\n`;
  md += `Execution: ${link(result.executionArn, executionConsoleUrl(result.executionArn))}${result.executionStatus ? ` (${escapeMarkdown(result.executionStatus)})` : ''}\n`;
  md += `Report: ${codeText(result.reportUri, 400)}\n`;
  md += `${baselineLine(result)}\n`;
  if (result.candidatePackageArn) md += `Candidate package: ${codeText(result.candidatePackageArn, 300)}\n`;
  return `${md}\n`;
}

function metricTableMarkdown(result: GateResult): string {
  return table(
    ['Metric', 'Candidate', 'Baseline', 'Delta', 'Threshold / limit', 'Result'],
    result.metrics.map((m) => [m.label, candidateCell(m), formatNumber(m.baseline), deltaCell(m), thresholdCell(m), resultCell(m)]),
  );
}

/** A link to the step's job logs; nothing for steps whose kind has no log group (models, registrations). */
function logsLink(region: string | undefined, s: StepSummary): string {
  const url = region && s.jobArn && s.jobKind ? jobLogUrl(region, s.jobKind, s.jobArn) : undefined;
  return url ? link('logs', url) : '';
}

/** The step table as its header (two lines) and one line per step, so rows can be dropped to fit. */
function stepTableMarkdown(steps: readonly StepSummary[], region: string | undefined): { header: string; rows: string[] } {
  const lines = table(
    ['Step', 'Status', 'Duration', 'Cache', 'Failure reason', 'Logs'],
    steps.map((s) => [
      s.name,
      s.status,
      formatDuration(s.durationSeconds),
      s.cacheHitSource ? 'hit' : '',
      s.failureReason ?? '',
      raw(logsLink(region, s)),
    ]),
  )
    .trimEnd()
    .split('\n');
  return { header: lines.slice(0, 2).join('\n'), rows: lines.slice(2) };
}

/** Renders the report as Markdown, cut to `maxLength` (the DAG goes first, then step rows). */
export function renderReportMarkdown(result: GateResult, definition: JsonObject | undefined, options: ReportOptions = {}): string {
  // Control characters (ANSI escapes from a report) have no business in a comment, and the same body is the report file someone may `cat`.
  // eslint-disable-next-line no-control-regex
  return fitMarkdown(result, definition, options).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '');
}

function fitMarkdown(result: GateResult, definition: JsonObject | undefined, options: ReportOptions): string {
  const max = options.maxLength ?? DEFAULT_BODY_LIMIT;
  const head = headerMarkdown(result) + metricTableMarkdown(result);
  const { header: stepHeader, rows } = stepTableMarkdown(result.steps, options.region);
  const dag = definition ? `\n<details><summary>Pipeline graph</summary>\n\n\`\`\`mermaid\n${mermaidDag(definition, result.steps)}\`\`\`\n\n</details>\n` : '';
  const assemble = (withDag: boolean, rowCount: number, note: string) => {
    let md = head;
    if (result.steps.length) {
      md += `\n<details><summary>Steps (${result.steps.length})</summary>\n\n${stepHeader}\n${rows.slice(0, rowCount).join('\n')}\n`;
      if (rowCount < rows.length) md += `\n…and ${rows.length - rowCount} more steps.\n`;
      md += '\n</details>\n';
    }
    if (withDag) md += dag;
    return md + note;
  };
  const full = assemble(true, rows.length, '');
  if (full.length <= max) return full;

  // GitHub runs have a job summary; GitLab jobs keep the report file as an artifact.
  const where = `the job summary or the report artifact of ${options.runUrl ? link('this run', options.runUrl) : 'this run'}`;
  const note = (what: string) => `\n> The report was shortened to fit a comment (${what} left out); the full report is in ${where}.\n`;
  const noDag = assemble(false, rows.length, note('the pipeline graph'));
  if (noDag.length <= max) return noDag;
  // Drop step rows until it fits (binary search: rows can be many and long).
  let lo = 0;
  let hi = rows.length;
  const fits = (n: number) => assemble(false, n, note('the pipeline graph and some steps')).length <= max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  const cut = assemble(false, lo, note('the pipeline graph and some steps'));
  if (cut.length <= max) return cut;
  // Only the metric table is left and still too long (thousands of rules): cut it hard, keeping the pointer.
  const tail = note('most of the report');
  return `${cut.slice(0, Math.max(0, max - tail.length - 2))}\n${tail}`;
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/**
 * A Mermaid label from untrusted text: only letters, digits, space, `_`, `.` and `-` stay as they
 * are; everything else (quotes, brackets, `<`, `#`, `;`, `%`, backticks, line breaks) becomes a
 * numeric entity, so a step name can neither end the label, add nodes, edges, `click` handlers
 * or directives, nor close the Markdown code fence.
 */
export function mermaidLabel(text: string, maxLength = 60): string {
  const chars = [...text.replace(/[\r\n\t]+/g, ' ')];
  const cut = chars.length > maxLength ? [...chars.slice(0, maxLength - 1), '…'] : chars;
  return cut.map((c) => (/^[A-Za-z0-9 _.-]$/.test(c) ? c : `#${c.codePointAt(0)};`)).join('');
}

const STATUS_CLASS: Record<string, string> = {
  Succeeded: 'succeeded',
  Failed: 'failed',
  Executing: 'executing',
  Starting: 'executing',
  Stopping: 'stopped',
  Stopped: 'stopped',
};

/** Step names a definition step refers to through `Get: Steps.<Name>…` (JsonGet property files included). */
function referencedSteps(value: JsonValue | undefined, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => referencedSteps(v, into));
  else if (value && typeof value === 'object') {
    const get = value.Get;
    if (typeof get === 'string' && get.startsWith('Steps.')) {
      const name = /^Steps\.([^.[]+)/.exec(get)?.[1];
      if (name) into.add(name);
    }
    for (const [k, v] of Object.entries(value)) if (k !== 'Get') referencedSteps(v, into);
  }
}

/**
 * The pipeline as a Mermaid flowchart: one node per step (ids `s0`, `s1`… by position, never the
 * untrusted name), edges for DependsOn, data references and condition branches (labelled if/else),
 * nodes coloured by the step's status in this execution.
 */
export function mermaidDag(definition: JsonObject, steps: readonly StepSummary[]): string {
  const defs = allDefinitionSteps(definition);
  const id = new Map<string, string>();
  defs.forEach((s, i) => {
    if (!id.has(s.Name)) id.set(s.Name, `s${i}`);
  });
  const status = new Map(steps.map((s) => [s.name, s.status]));
  const lines = ['flowchart TD'];
  for (const s of defs) {
    const nodeId = id.get(s.Name) as string;
    if (nodeId !== `s${defs.indexOf(s)}`) continue;
    lines.push(`  ${nodeId}["${mermaidLabel(s.Name)}"]`);
  }
  const edges = new Set<string>();
  const edge = (from: string, to: string, label?: string) => {
    const a = id.get(from);
    const b = id.get(to);
    if (a && b && a !== b) edges.add(label ? `  ${a} -->|${label}| ${b}` : `  ${a} --> ${b}`);
  };
  for (const s of defs as StepDefinition[]) {
    for (const d of s.DependsOn ?? []) edge(d, s.Name);
    const refs = new Set<string>();
    if (s.Type === 'Condition') {
      referencedSteps(s.Arguments?.Conditions, refs);
      for (const [branch, label] of [
        ['IfSteps', 'if'],
        ['ElseSteps', 'else'],
      ] as const) {
        const children = s.Arguments?.[branch];
        if (Array.isArray(children)) for (const c of children) if (c && typeof c === 'object' && !Array.isArray(c) && typeof c.Name === 'string') edge(s.Name, c.Name, label);
      }
    } else {
      referencedSteps(s.Arguments, refs);
      referencedSteps((s as { PropertyFiles?: JsonValue }).PropertyFiles, refs);
    }
    for (const r of refs) edge(r, s.Name);
  }
  lines.push(...edges);
  const byClass = new Map<string, string[]>();
  for (const [name, nodeId] of id) {
    const cls = STATUS_CLASS[status.get(name) ?? ''] ?? 'notrun';
    byClass.set(cls, [...(byClass.get(cls) ?? []), nodeId]);
  }
  lines.push(
    '  classDef succeeded fill:#d3f9d8,stroke:#2b8a3e',
    '  classDef failed fill:#ffe3e3,stroke:#c92a2a',
    '  classDef executing fill:#e7f5ff,stroke:#1971c2',
    '  classDef stopped fill:#fff3bf,stroke:#e67700',
    '  classDef notrun fill:#f1f3f5,stroke:#868e96',
  );
  for (const [cls, ids] of byClass) lines.push(`  class ${ids.join(',')} ${cls}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Plain text

/** Untrusted text for a terminal: control characters (ANSI escapes, CR, line breaks) become spaces. */
export function plainText(text: unknown, maxLength = 300): string {
  // eslint-disable-next-line no-control-regex
  let s = String(text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  if (s.length > maxLength) s = `${s.slice(0, maxLength - 1)}…`;
  return s;
}

const TEXT_VERDICT: Record<GateVerdict, string> = {
  pass: 'PASSED',
  fail: 'FAILED',
  'no-baseline': 'PASSED on thresholds only (no baseline)',
};

/** The same report for a terminal: verdict, links, metric table, step table. */
export function renderReportText(result: GateResult): string {
  const lines = [`Metric gate ${TEXT_VERDICT[result.verdict]}: ${plainText(result.pipelineName)}`, `execution: ${plainText(result.executionArn)}${result.executionStatus ? ` (${plainText(result.executionStatus)})` : ''}`];
  const url = executionConsoleUrl(result.executionArn);
  if (url) lines.push(`console:   ${url}`);
  lines.push(`report:    ${plainText(result.reportUri)}`);
  if (result.baseline) lines.push(`baseline:  ${plainText(result.baseline.modelPackageArn)}${result.baselineNote ? ` (${plainText(result.baselineNote)})` : ''}`);
  else lines.push(`baseline:  none — ${plainText(result.baselineNote ?? 'no Approved model package')}; regression limits not checked`);
  if (result.candidatePackageArn) lines.push(`candidate: ${plainText(result.candidatePackageArn)}`);
  const rows = [
    ['Metric', 'Candidate', 'Baseline', 'Delta', 'Threshold / limit', 'Result'],
    ...result.metrics.map((m) => [plainText(m.label, 80), plainText(candidateCell(m), 80), formatNumber(m.baseline), deltaCell(m), thresholdCell(m), plainText(resultCell(m), 300)]),
  ];
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const tableText = rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
  const steps = result.steps.map((s) => ({ ...s, name: plainText(s.name, 80), status: plainText(s.status, 40), ...(s.failureReason ? { failureReason: plainText(s.failureReason) } : {}) }));
  return `${lines.join('\n')}\n\n${tableText}\n${steps.length ? `\n${renderStepTable(steps)}` : ''}`;
}
