/** Shared by the commands that deploy a spec: compile it for real (role and bucket required). */
import path from 'node:path';
import type { CompileResult } from '../compiler/types.js';
import { compileSpecFile, type SpecCompilation } from '../ops/compile.js';
import { parseParametersFile } from '../ops/parameters.js';
import { findRepositoryRoot } from '../ops/spec-files.js';
import { renderDiagnostics } from '../platform/terminal.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage.js';

export type DeployableCompilation = SpecCompilation & {
  result: CompileResult & Required<Pick<CompileResult, 'definitionJson' | 'pipeline' | 'definition'>>;
};

/** Compiles `file` with deployment settings; prints diagnostics; undefined when it is not deployable. */
export function compileForDeploy(
  ctx: CliContext,
  file: string,
  flags: { region: string; role?: string | undefined; bucket?: string | undefined; pipelineName?: string | undefined },
): DeployableCompilation | undefined {
  const root = findRepositoryRoot(ctx.fs, ctx.fs.cwd());
  const roleArn = flags.role ?? ctx.env.SMPK_ROLE_ARN;
  const bucket = flags.bucket ?? ctx.env.SMPK_BUCKET;
  const compiled = compileSpecFile({
    fs: ctx.fs,
    root,
    files: ctx.sourceFiles(root),
    file,
    options: {
      region: flags.region,
      ...(roleArn ? { roleArn } : {}),
      ...(bucket ? { bucket } : {}),
      ...(flags.pipelineName ? { pipelineName: flags.pipelineName } : {}),
    },
  });
  ctx.output.err(renderDiagnostics(compiled.diagnostics));
  const r = compiled.result;
  if (!compiled.ok || !r?.definitionJson || !r.pipeline || !r.definition) return undefined;
  return compiled as DeployableCompilation;
}

/** Reads `--params-file` (YAML or JSON mapping of parameter name → value). */
export function readParamsFile(ctx: CliContext, file: string | undefined): Record<string, unknown> {
  if (!file) return {};
  const abs = path.resolve(ctx.fs.cwd(), file);
  if (!ctx.fs.exists(abs)) throw new UsageError(`--params-file ${file} does not exist`);
  const parsed = parseParametersFile(ctx.fs.readText(abs));
  if ('problem' in parsed) throw new UsageError(`--params-file ${file} ${parsed.problem}`);
  return parsed.values;
}

/** `--timeout-minutes N` → absolute deadline, or undefined for no deadline. */
export function deadlineFrom(ctx: CliContext, minutes: string | undefined): number | undefined {
  if (minutes === undefined) return undefined;
  const n = Number(minutes);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout-minutes must be a positive number, not ${JSON.stringify(minutes)}`);
  return ctx.clock.now() + n * 60_000;
}
