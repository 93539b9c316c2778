/**
 * The loader: YAML text → typed spec + source map + every diagnostic at once. Phases: YAML with
 * positions and bounds (yaml.ts), JSON Schema (schema.ts), semantic rules (rules.ts). A later
 * phase runs when the earlier one left data worth checking, so one run reports everything it can.
 */
import type { SourceFiles } from '../compiler/types.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { listReferences } from './references.js';
import { checkRules, ruleContext } from './rules.js';
import { validateSchema } from './schema.js';
import { SourceMap } from './source-map.js';
import type { PipelineSpec } from './types.generated.js';
import { defaultYamlLimits, parseYaml, type YamlLimits } from './yaml.js';

export interface LoadResult {
  /** The spec, present when there are no errors (warnings allowed). */
  spec?: PipelineSpec;
  sourceMap: SourceMap;
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Checks that need the repository's files (code paths exist, stay inside the repository). */
  files?: SourceFiles;
  /**
   * Repository-relative POSIX path of the spec file; local paths are resolved against its folder.
   * Default: `file` as given.
   */
  specPath?: string;
  /** Input bounds; defaults: 1 MiB, 100 aliases, depth 64. */
  limits?: Partial<YamlLimits>;
}

/** Parses, schema-checks and rule-checks one spec file's text. `file` is the path as the user named it. */
export function loadSpec(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const sourceMap = new SourceMap(file);
  const parsed = parseYaml(typeof text === 'string' ? text : String(text), sourceMap, { ...defaultYamlLimits, ...options.limits });
  const diagnostics = [...parsed.diagnostics];
  if (!parsed.fatal) {
    diagnostics.push(...validateSchema(parsed.value, sourceMap));
    const value = parsed.value;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const spec = value as Record<string, unknown>;
      diagnostics.push(...checkRules(ruleContext(spec, {
        duplicateKeys: parsed.duplicateKeys,
        sourceMap,
        files: options.files,
        specPath: options.specPath,
      }, listReferences(spec))));
    }
  }
  const sorted = sortDiagnostics(diagnostics);
  const result: LoadResult = { sourceMap, diagnostics: sorted };
  if (!parsed.fatal && !sorted.some((d) => d.severity === 'error')) result.spec = parsed.value as PipelineSpec;
  return result;
}
