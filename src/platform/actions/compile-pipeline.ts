/** The compile-pipeline action: writes the definition JSON and says what it needs staged. */
import { compileSpecFile } from '../../ops/compile.js';
import { findRepositoryRoot } from '../../ops/spec-files.js';
import { renderDiagnostics } from '../terminal.js';
import { annotateAll, InputError, keyValueLines, type ActionIO } from '../github.js';
import { diagnosticsSummary } from '../summary.js';
import type { ActionHost } from './host.js';

/** Runs compile-pipeline. */
export async function compilePipelineAction(io: ActionIO, host: ActionHost): Promise<void> {
  const spec = io.input('spec');
  if (!spec) throw new InputError('input spec is required');
  const region = io.input('region') || host.env.AWS_REGION || host.env.AWS_DEFAULT_REGION || 'us-east-1';
  const roleArn = io.input('role-arn') || host.env.SMPK_ROLE_ARN;
  const bucket = io.input('bucket') || host.env.SMPK_BUCKET;
  const parameterDefaults = keyValueLines(io, 'parameters');
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
      ...(Object.keys(parameterDefaults).length ? { parameterDefaults } : {}),
    },
  });
  const text = renderDiagnostics(compiled.diagnostics);
  if (text) io.info(text.trimEnd());
  annotateAll(io, compiled.diagnostics);
  const r = compiled.result;
  if (!compiled.ok || !r?.definitionJson || !r.pipeline) {
    await io.summary(diagnosticsSummary(`Compile ${spec}`, compiled.diagnostics, [compiled]));
    io.fail(`${spec} did not compile`);
    return;
  }
  const outFile = io.input('output-file') || `${r.pipeline.name}.definition.json`;
  host.writeFile(outFile, `${r.definitionJson}\n`);
  io.output('definition-file', outFile);
  io.output('pipeline-name', r.pipeline.name);
  io.output('requires-s3-upload', String(r.requiresS3Upload));
  io.output('asset-count', String(r.assets.length));
  io.info(`wrote ${outFile} (${r.definitionJson.length} characters, ${r.assets.length} assets to stage)`);
}
