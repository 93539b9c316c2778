/**
 * The run-pipeline and watch-pipeline actions. Outputs are set the moment they are known (the
 * execution ARN right after start), and the job summary is written whatever happens.
 */
import { resolveRegion } from '../../aws/clients.js';
import { compileSpecFile } from '../../ops/compile.js';
import { parseParametersFile, resolveParameters } from '../../ops/parameters.js';
import { runPipeline } from '../../ops/run-pipeline.js';
import { findRepositoryRoot } from '../../ops/spec-files.js';
import { watchExecution, type WatchResult } from '../../ops/watch.js';
import { runOrigin } from '../ci-env.js';
import { annotateAll, InputError, keyValueLines, positiveNumberInput, type ActionIO } from '../github.js';
import { terminalWatchReporter } from '../progress.js';
import { diagnosticsSummary, executionSummary } from '../summary.js';
import { renderDiagnostics } from '../terminal.js';
import type { ActionHost } from './host.js';
import path from 'node:path';

/** The absolute deadline a minutes input sets, if any. */
function minutes(io: ActionIO, name: string, host: ActionHost): number | undefined {
  const n = positiveNumberInput(io, name);
  return n === undefined ? undefined : host.clock.now() + n * 60_000;
}

/** Lines written to the log through the action's own I/O (so they land in the step log). */
function logOutput(io: ActionIO) {
  return { out: (t: string) => io.info(t.replace(/\n$/, '')), err: (t: string) => io.warning(t.replace(/\n$/, '')) };
}

function failFor(io: ActionIO, watch: WatchResult): void {
  if (watch.outcome === 'succeeded') return;
  if (watch.outcome === 'deadline') {
    io.fail(`Stopped waiting after the timeout; execution ${watch.executionArn} is still ${watch.status ?? 'running'}. Resume with the watch-pipeline action.`);
  } else {
    io.fail(`Pipeline execution ${watch.outcome}${watch.failureReason ? `: ${watch.failureReason}` : ''}`);
  }
}

/** Runs run-pipeline. */
export async function runPipelineAction(io: ActionIO, host: ActionHost): Promise<void> {
  const spec = io.input('spec');
  if (!spec) throw new InputError('input spec is required');
  const region = resolveRegion(host.env, io.input('region') || undefined);
  const roleArn = io.input('role-arn') || host.env.SMPK_ROLE_ARN;
  const bucket = io.input('bucket') || host.env.SMPK_BUCKET;
  const wait = io.flag('wait', true);
  const deadline = minutes(io, 'timeout-minutes', host);
  const root = findRepositoryRoot(host.fs, host.fs.cwd());
  const compiled = compileSpecFile({
    fs: host.fs,
    root,
    files: host.sourceFiles(root),
    file: spec,
    options: {
      region,
      ...(roleArn ? { roleArn } : {}),
      ...(bucket ? { bucket } : {}),
      ...(io.input('pipeline-name') ? { pipelineName: io.input('pipeline-name') } : {}),
    },
  });
  const text = renderDiagnostics(compiled.diagnostics);
  if (text) io.info(text.trimEnd());
  annotateAll(io, compiled.diagnostics);
  const r = compiled.result;
  if (!compiled.ok || !r?.definitionJson || !r.pipeline || !compiled.load?.spec) {
    await io.summary(diagnosticsSummary(`Run ${spec}`, compiled.diagnostics, [compiled]));
    io.fail(`${spec} is not valid; nothing was deployed`);
    return;
  }
  let fileParams: Record<string, unknown> = {};
  const paramsFile = io.input('params-file');
  if (paramsFile) {
    const abs = path.resolve(host.fs.cwd(), paramsFile);
    if (!host.fs.exists(abs)) throw new InputError(`params-file ${paramsFile} does not exist`);
    const parsed = parseParametersFile(host.fs.readText(abs));
    if ('problem' in parsed) throw new InputError(`params-file ${paramsFile} ${parsed.problem}`);
    fileParams = parsed.values;
  }
  const params = resolveParameters(compiled.load.spec, [fileParams, keyValueLines(io, 'parameters')]);
  if (params.problems.length) throw new InputError(params.problems.map((p) => p.message).join('; '));

  const pipelineName = r.pipeline.name;
  let executionArn: string | undefined;
  let watch: WatchResult | undefined;
  try {
    const result = await runPipeline(
      {
        compiled: { definitionJson: r.definitionJson, pipeline: r.pipeline, assets: r.assets, requiresS3Upload: r.requiresS3Upload },
        parameters: params.overrides,
        origin: runOrigin(host.env),
        wait,
        signal: host.signal,
        ...(deadline !== undefined ? { deadline } : {}),
      },
      {
        clients: host.clients(region),
        clock: host.clock,
        random: () => host.random(),
        uuid: () => host.uuid(),
        reporter: {
          ...terminalWatchReporter(logOutput(io), host.clock),
          upserted: (u) => io.info(`pipeline ${pipelineName}: ${u.action}`),
          started: (arn, url, pipelineArn) => {
            executionArn = arn;
            io.output('pipeline-arn', pipelineArn);
            io.output('execution-arn', arn);
            io.output('console-url', url ?? '');
            io.output('execution-status', 'Executing');
            io.info(`execution started: ${arn}${url ? `\nconsole: ${url}` : ''}`);
          },
        },
      },
    );
    watch = result.watch;
    if (watch) io.output('execution-status', watch.status ?? watch.outcome);
    if (watch) failFor(io, watch);
  } finally {
    if (executionArn) await io.summary(executionSummary({ pipelineName, region, executionArn, ...(watch ? { watch } : {}) }));
  }
}

/** Runs watch-pipeline. */
export async function watchPipelineAction(io: ActionIO, host: ActionHost): Promise<void> {
  const arn = io.input('execution-arn');
  const m = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):\d{12}:pipeline\/([^/]+)\/execution\/[^/]+$/.exec(arn);
  if (!m) throw new InputError(`input execution-arn must be a pipeline execution ARN, got ${JSON.stringify(arn)}`);
  const region = m[1] as string;
  const deadline = minutes(io, 'timeout-minutes', host);
  let watch: WatchResult | undefined;
  try {
    watch = await watchExecution(
      { executionArn: arn, signal: host.signal, stopOnCancel: io.flag('stop-on-cancel', true), ...(deadline !== undefined ? { deadline } : {}) },
      { sagemaker: host.clients(region).sagemaker, clock: host.clock, random: () => host.random(), reporter: terminalWatchReporter(logOutput(io), host.clock) },
    );
    io.output('execution-status', watch.status ?? watch.outcome);
    failFor(io, watch);
  } finally {
    await io.summary(executionSummary({ pipelineName: m[2] as string, region, executionArn: arn, ...(watch ? { watch } : {}) }));
  }
}
