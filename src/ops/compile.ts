/**
 * Use cases `validate` and `compile`: read a spec through the injected file system, load it
 * (YAML → schema → rules) and compile it. Pure apart from the injected reads.
 */
import path from 'node:path';
import { compile } from '../compiler/index.js';
import type { CompileOptions, CompileResult, SourceFiles } from '../compiler/types.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../spec/diagnostics.js';
import { loadSpec, type LoadResult } from '../spec/load.js';
import { repositoryRelative, type SpecFileSystem } from './spec-files.js';

export interface SpecCompilation {
  /** The path as the user named it (used in every diagnostic). */
  file: string;
  load?: LoadResult;
  result?: CompileResult;
  /** Load and compile diagnostics together, sorted by position. */
  diagnostics: Diagnostic[];
  ok: boolean;
}

/**
 * Placeholders used when only validating: a spec need not name its deployment role and bucket
 * (they often come from CI variables), but everything else the compiler checks still runs.
 */
const VALIDATE_ROLE = 'arn:aws:iam::000000000000:role/smpk-validate';
const VALIDATE_BUCKET = 'smpk-validate-bucket';

/** Loads and compiles one spec file. With `validateOnly`, a missing role or bucket is not an error. */
export function compileSpecFile(input: {
  fs: SpecFileSystem;
  root: string;
  files: SourceFiles;
  file: string;
  options: CompileOptions;
  validateOnly?: boolean;
}): SpecCompilation {
  const { fs, root, files, file } = input;
  const absolute = path.resolve(fs.cwd(), file);
  const fail = (message: string, hint?: string): SpecCompilation => ({
    file,
    diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: 'file', message, ...(hint ? { hint } : {}) }],
    ok: false,
  });
  if (!fs.exists(absolute)) return fail(`spec file not found: ${file}`, 'Check the path; specs usually live in pipeline-specs/.');
  if (fs.isDirectory(absolute)) return fail(`${file} is a directory, not a spec file`);
  const specPath = repositoryRelative(root, absolute);
  if (specPath === undefined) {
    return fail(`${file} lies outside the repository`, 'Run smpk from inside the repository that holds the spec.');
  }
  let text: string;
  try {
    text = fs.readText(absolute);
  } catch (error) {
    return fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const load = loadSpec(text, file, { files, specPath });
  if (!load.spec || hasErrors(load.diagnostics)) {
    return { file, load, diagnostics: sortDiagnostics(load.diagnostics), ok: false };
  }
  const options: CompileOptions = input.validateOnly
    ? {
        ...input.options,
        roleArn: input.options.roleArn ?? load.spec.pipeline.roleArn ?? VALIDATE_ROLE,
        bucket: input.options.bucket ?? load.spec.pipeline.bucket ?? VALIDATE_BUCKET,
      }
    : input.options;
  const result = compile({ spec: load.spec, sourceMap: load.sourceMap, specPath, files }, options);
  const diagnostics = sortDiagnostics([...load.diagnostics, ...result.diagnostics]);
  return { file, load, result, diagnostics, ok: !hasErrors(diagnostics) && result.definition !== undefined };
}
