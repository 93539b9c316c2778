/** What every CLI command receives: its side effects, injected so tests run commands in-process. */
import type { SourceFiles } from '../compiler/types.js';
import type { SpecFileSystem } from '../ops/spec-files.js';
import type { Output } from '../platform/terminal.js';

export interface CliContext {
  fs: SpecFileSystem;
  output: Output;
  /** The environment, as a plain map (never read from process.env deeper down). */
  env: Readonly<Record<string, string | undefined>>;
  /** Read-only repository view for the compiler, rooted at `root`. */
  sourceFiles(root: string): SourceFiles;
  /** Writes a file (relative paths resolve against fs.cwd()). */
  writeFile(path: string, data: string): void;
}
