/** `smpk gate <spec> --execution <arn>`: the metric gate over an execution's evaluation report. */
import path from 'node:path';
import { resolveRegion } from '../aws/clients.js';
import { ExitCode } from '../exit-codes.js';
import { compileSpecFile } from '../ops/compile.js';
import { GateError, runGate, type GateResult } from '../ops/gate.js';
import { findRepositoryRoot } from '../ops/spec-files.js';
import { runOrigin } from '../platform/ci-env.js';
import type { FetchLike } from '../platform/http.js';
import { renderOpenMetrics } from '../platform/openmetrics.js';
import { postReport } from '../platform/post-report.js';
import { renderReportMarkdown, renderReportText, reportMarker } from '../platform/report.js';
import { renderDiagnostics } from '../platform/terminal.js';
import type { JsonObject } from '../compiler/types.js';
import type { Gate } from '../spec/types.generated.js';
import type { CliContext } from './context.js';
import { parseCommand, UsageError } from './usage.js';

export const gateUsage = `Usage: smpk gate <spec> --execution <arn> [--comment] [--report-file F] [--metrics-file F]
                 [--region R]

Reads the evaluation report of the execution (the spec's gate.report), compares it with the
latest Approved model package of the group (its ModelQuality statistics report) and applies
the spec's gate.metrics rules. Prints the report; --report-file writes it as Markdown,
--metrics-file as OpenMetrics (GitLab: artifacts: reports: metrics:).
--comment posts it as the sticky PR comment (GitHub, GITHUB_TOKEN) or MR note (GitLab,
SMPK_GITLAB_TOKEN: a token with the api scope; CI_JOB_TOKEN cannot post notes). A comment
that cannot be posted never fails the gate; the report is then written to --report-file
(default smpk-report.md).
Exit codes: 0 passed (or passed on thresholds with no baseline), 3 gate failed, 2 invalid
input, 1 AWS failure or no readable evaluation report.`;

const EXECUTION_ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):\d{12}:pipeline\/[^/]+\/execution\/[^/]+$/;

/** Runs `smpk gate`. `fetchImpl` is injected by tests; the real one is Node's global fetch. */
export async function gateCommand(args: readonly string[], ctx: CliContext, fetchImpl: FetchLike = globalThis.fetch as FetchLike): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    execution: { type: 'string' },
    comment: { type: 'boolean' },
    'report-file': { type: 'string' },
    'metrics-file': { type: 'string' },
    region: { type: 'string' },
  });
  if (values.help) {
    ctx.output.out(`${gateUsage}\n`);
    return ExitCode.Success;
  }
  if (positionals.length !== 1) throw new UsageError('gate takes exactly one spec file');
  const executionArn = values.execution;
  if (!executionArn) throw new UsageError('--execution <arn> is required');
  const m = EXECUTION_ARN.exec(executionArn);
  if (!m) throw new UsageError(`--execution must be a pipeline execution ARN, got ${JSON.stringify(executionArn)}`);
  const region = values.region ? resolveRegion(ctx.env, values.region) : (m[1] as string);

  const file = positionals[0] as string;
  const root = findRepositoryRoot(ctx.fs, ctx.fs.cwd());
  // The gate needs the definition's shape (property files, steps), not a deployable one: no role or bucket required.
  const compiled = compileSpecFile({ fs: ctx.fs, root, files: ctx.sourceFiles(root), file, options: { region }, validateOnly: true });
  ctx.output.err(renderDiagnostics(compiled.diagnostics));
  const spec = compiled.load?.spec;
  const definition = compiled.result?.definition as JsonObject | undefined;
  if (!compiled.ok || !spec || !definition) return ExitCode.InvalidInput;
  const gate = (spec as { gate?: Gate }).gate;
  if (!gate) {
    ctx.output.err(`smpk gate: ${file} has no gate: section (the report and the metric rules)\n`);
    return ExitCode.InvalidInput;
  }

  let result: GateResult;
  try {
    result = await runGate({ gate, definition, executionArn, pipelineName: spec.pipeline.name }, ctx.clients(region));
  } catch (error) {
    if (!(error instanceof GateError)) throw error;
    ctx.output.err(`smpk gate: ${error.message}\n`);
    return error.kind === 'invalid-gate' ? ExitCode.InvalidInput : ExitCode.RemoteFailed;
  }

  ctx.output.out(renderReportText(result));
  const runUrl = runOrigin(ctx.env).runUrl;
  const options = { region, ...(runUrl ? { runUrl } : {}) };
  let reportFile = values['report-file'];
  if (values['metrics-file']) ctx.writeFile(values['metrics-file'], renderOpenMetrics(result));
  if (values.comment) {
    const outcome = await postReport({
      env: ctx.env,
      http: { fetch: fetchImpl, clock: ctx.clock },
      readFile: (p) => {
        try {
          return ctx.fs.readText(path.resolve(ctx.fs.cwd(), p));
        } catch {
          return undefined;
        }
      },
      marker: reportMarker(result.pipelineName),
      render: (maxLength) => renderReportMarkdown(result, definition, { ...options, maxLength }),
    });
    if (outcome.posted) ctx.output.out(`${outcome.message}\n`);
    else ctx.output.err(`${outcome.message}\n`);
    // The body must survive somewhere when the comment did not: the artifact file.
    if (!outcome.posted && !reportFile) reportFile = 'smpk-report.md';
  }
  if (reportFile) {
    ctx.writeFile(reportFile, renderReportMarkdown(result, definition, { ...options, maxLength: Number.MAX_SAFE_INTEGER }));
    ctx.output.out(`report written to ${reportFile}\n`);
  }
  return result.verdict === 'fail' ? ExitCode.GateFailed : ExitCode.Success;
}
