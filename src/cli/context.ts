/** What every CLI command receives: its side effects, injected so tests run commands in-process. */
import type { AwsClients } from '../aws/clients.js';
import type { SourceFiles } from '../compiler/types.js';
import type { Clock } from '../ops/clock.js';
import type { SpecFileSystem } from '../ops/spec-files.js';
import type { Output } from '../platform/terminal.js';

export interface CliContext {
  fs: SpecFileSystem;
  output: Output;
  /** The environment, as a plain map (never read from process.env deeper down). */
  env: Readonly<Record<string, string | undefined>>;
  /** Read-only repository view for the compiler, rooted at `root`. */
  sourceFiles(root: string): SourceFiles;
  /** AWS clients for a region (tests inject mocked ones; nothing else creates clients). */
  clients(region: string): AwsClients;
  clock: Clock;
  /** Uniform [0, 1) randomness for backoff jitter. */
  random(): number;
  /** A fresh unique string (manual runs' request tokens). */
  uuid(): string;
  /** Aborted when the process receives SIGINT/SIGTERM (the CI job was cancelled). */
  signal: AbortSignal;
  /** The local backend module, loaded on demand (only `smpk local` and `smpk demo` need it). */
  localBackend(): Promise<typeof import('../local/index.js')>;
  /** Writes a file (relative paths resolve against fs.cwd()). */
  writeFile(path: string, data: string): void;
}
