/** The validate-spec action: every problem as an annotation on its spec line, and a summary. */
import { compileSpecFile } from '../../ops/compile.js';
import { expandSpecArguments, findRepositoryRoot } from '../../ops/spec-files.js';
import { renderDiagnostics } from '../terminal.js';
import { annotateAll, type ActionIO } from '../github.js';
import { diagnosticsSummary } from '../summary.js';
import type { ActionHost } from './host.js';

/** Runs validate-spec. */
export async function validateSpecAction(io: ActionIO, host: ActionHost): Promise<void> {
  const specs = io.lines('specs');
  const region = io.input('region') || host.env.AWS_REGION || 'us-east-1';
  const root = findRepositoryRoot(host.fs, host.fs.cwd());
  const files = expandSpecArguments(host.fs, specs.length ? specs : ['pipeline-specs']);
  const results = files.map((file) =>
    compileSpecFile({ fs: host.fs, root, files: host.sourceFiles(root), file, options: { region }, validateOnly: true }),
  );
  const diagnostics = results.flatMap((r) => r.diagnostics);
  const text = renderDiagnostics(diagnostics);
  if (text) io.info(text.trimEnd());
  annotateAll(io, diagnostics);
  const invalid = results.filter((r) => !r.ok);
  io.output('valid', String(invalid.length === 0));
  await io.summary(diagnosticsSummary('Spec validation', diagnostics, results));
  if (files.length === 0) io.fail('No *.yaml specs found; set the specs input.');
  else if (invalid.length) io.fail(`${invalid.length} of ${results.length} spec${results.length === 1 ? '' : 's'} invalid: ${invalid.map((r) => r.file).join(', ')}`);
  else io.info(`${results.length} spec${results.length === 1 ? '' : 's'} valid`);
}
