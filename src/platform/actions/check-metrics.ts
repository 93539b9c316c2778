/**
 * The check-metrics action: the metric gate over an execution, the sticky PR comment, the job
 * summary and the report file. The step fails when the gate fails — never because a comment could
 * not be posted (fork PRs, missing permissions): then the report file and the summary carry it.
 */
import path from 'node:path';
import { compileSpecFile } from '../../ops/compile.js';
import { GateError, runGate, type GateResult } from '../../ops/gate.js';
import { findRepositoryRoot } from '../../ops/spec-files.js';
import type { JsonObject } from '../../compiler/types.js';
import type { Gate } from '../../spec/types.generated.js';
import { runOrigin } from '../ci-env.js';
import { annotateAll, InputError, type ActionIO } from '../github.js';
import type { FetchLike } from '../http.js';
import { escapeMarkdown } from '../markdown.js';
import { postReport } from '../post-report.js';
import { plainText, renderReportMarkdown, renderReportText, reportMarker } from '../report.js';
import { diagnosticsSummary } from '../summary.js';
import { renderDiagnostics } from '../terminal.js';
import type { ActionHost } from './host.js';

const EXECUTION_ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):\d{12}:pipeline\/[^/]+\/execution\/[^/]+$/;

/** GitHub's job summary takes at most 1 MiB per step. */
const SUMMARY_LIMIT = 1_000_000;

/** The metrics as the `metrics-json` output: one object per rule, stable keys. */
export function metricsJson(result: GateResult): string {
  return JSON.stringify(
    result.metrics.map((m) => ({
      label: m.label,
      path: m.path,
      status: m.status,
      ...(m.candidate !== undefined ? { candidate: m.candidate } : {}),
      ...(m.baseline !== undefined ? { baseline: m.baseline } : {}),
      ...(m.delta !== undefined ? { delta: m.delta } : {}),
      ...(m.threshold !== undefined ? { threshold: m.threshold } : {}),
      ...(m.regressionLimit !== undefined ? { regressionLimit: m.regressionLimit } : {}),
      reasons: m.reasons,
    })),
  );
}

/** Runs check-metrics. */
export async function checkMetricsAction(io: ActionIO, host: ActionHost, fetchImpl: FetchLike): Promise<void> {
  const spec = io.input('spec');
  if (!spec) throw new InputError('input spec is required');
  const executionArn = io.input('execution-arn');
  const arn = EXECUTION_ARN.exec(executionArn);
  if (!arn) throw new InputError(`input execution-arn must be a pipeline execution ARN, got ${JSON.stringify(executionArn)}`);
  const region = io.input('region') || (arn[1] as string);
  const event = host.env.GITHUB_EVENT_NAME ?? '';
  const comment = io.flag('comment', event === 'pull_request' || event === 'pull_request_target');
  const reportFile = io.input('report-file') || 'smpk-report.md';

  const root = findRepositoryRoot(host.fs, host.fs.cwd());
  const compiled = compileSpecFile({ fs: host.fs, root, files: host.sourceFiles(root), file: spec, options: { region }, validateOnly: true });
  const text = renderDiagnostics(compiled.diagnostics);
  if (text) io.info(text.trimEnd());
  annotateAll(io, compiled.diagnostics);
  const loaded = compiled.load?.spec;
  const definition = compiled.result?.definition as JsonObject | undefined;
  if (!compiled.ok || !loaded || !definition) {
    await io.summary(diagnosticsSummary(`Metric gate ${spec}`, compiled.diagnostics, [compiled]));
    io.fail(`${spec} is not valid`);
    return;
  }
  const gate = (loaded as { gate?: Gate }).gate;
  if (!gate) throw new InputError(`${spec} has no gate: section (the report and the metric rules)`);

  let result: GateResult;
  try {
    result = await runGate({ gate, definition, executionArn, pipelineName: loaded.pipeline.name }, host.clients(region));
  } catch (error) {
    if (!(error instanceof GateError)) throw error;
    await io.summary(`### Metric gate could not run\n\n${escapeMarkdown(error.message, 2000)}\n`);
    io.fail(`Metric gate could not run: ${error.message}`);
    return;
  }

  io.output('gate-result', result.verdict);
  io.output('metrics-json', metricsJson(result));
  io.info(renderReportText(result).trimEnd());
  const runUrl = runOrigin(host.env).runUrl;
  const options = { region, ...(runUrl ? { runUrl } : {}) };
  const full = renderReportMarkdown(result, definition, { ...options, maxLength: SUMMARY_LIMIT });
  host.writeFile(reportFile, full);
  io.output('report-file', reportFile);
  await io.summary(full);

  if (comment) {
    const outcome = await postReport({
      env: host.env,
      http: { fetch: fetchImpl, clock: host.clock },
      readFile: (p) => {
        try {
          return host.fs.readText(path.resolve(host.fs.cwd(), p));
        } catch {
          return undefined;
        }
      },
      marker: reportMarker(result.pipelineName),
      render: (maxLength) => renderReportMarkdown(result, definition, { ...options, maxLength }),
      githubToken: io.input('github-token'),
    });
    if (outcome.posted) {
      io.info(outcome.message);
      if (outcome.url) io.output('comment-url', outcome.url);
    } else {
      io.warning(`${outcome.message} (report file: ${reportFile})`);
    }
  }

  if (result.verdict === 'fail') {
    const failed = result.metrics.filter((m) => m.status === 'fail');
    io.fail(`Metric gate failed: ${failed.map((m) => `${plainText(m.label, 80)}: ${plainText(m.reasons[0] ?? 'failed')}`).join('; ')}`);
  } else if (result.verdict === 'no-baseline') {
    io.info(`Metric gate passed on thresholds only: ${result.baselineNote ?? 'no baseline'}`);
  } else {
    io.info('Metric gate passed');
  }
}
