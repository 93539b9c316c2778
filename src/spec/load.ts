/**
 * The loader: YAML text → typed spec + source map + every diagnostic at once.
 * TEMPORARY STUB (no positions, no schema, no rules); the loader work replaces the body, not the signature.
 */
import { parse } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { SourceMap } from './source-map.js';
import type { PipelineSpec } from './types.generated.js';

export interface LoadResult {
  /** The spec, present when there are no errors (warnings allowed). */
  spec?: PipelineSpec;
  sourceMap: SourceMap;
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Checks that need the repository's files (code paths exist, stay inside the repository). */
  files?: import('../compiler/types.js').SourceFiles;
  /** Repository-relative POSIX path of the spec file (resolves relative code paths). */
  specPath?: string;
}

/** Parses, schema-checks and rule-checks one spec file's text. `file` is the path as the user named it. */
export function loadSpec(text: string, file: string, _options: LoadOptions = {}): LoadResult {
  const sourceMap = new SourceMap(file);
  return { spec: parse(text) as PipelineSpec, sourceMap, diagnostics: [] };
}
