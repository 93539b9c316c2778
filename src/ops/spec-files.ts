/**
 * Locating spec files in a repository: which directory is the repository root, and the spec's
 * repository-relative path (the compiler never sees absolute paths).
 */
import path from 'node:path';

/** What the ops need from the file system to find specs; injected for tests. */
export interface SpecFileSystem {
  cwd(): string;
  exists(absolutePath: string): boolean;
  isDirectory(absolutePath: string): boolean;
  readText(absolutePath: string): string;
  /** Names in a directory (not recursive). */
  list(absolutePath: string): string[];
}

/** The nearest ancestor of `start` holding a `.git` entry, or `start` itself when there is none. */
export function findRepositoryRoot(fs: SpecFileSystem, start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.exists(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}

/** Repository-relative POSIX path of a file, or undefined when it lies outside the root. */
export function repositoryRelative(root: string, absolutePath: string): string | undefined {
  const rel = path.relative(root, absolutePath);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** Expands arguments into spec files: a directory means its `*.yaml`/`*.yml` files, sorted. */
export function expandSpecArguments(fs: SpecFileSystem, args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const abs = path.resolve(fs.cwd(), arg);
    if (fs.exists(abs) && fs.isDirectory(abs)) {
      for (const name of [...fs.list(abs)].sort()) {
        if (/\.ya?ml$/.test(name) && !fs.isDirectory(path.join(abs, name))) out.push(path.join(arg, name));
      }
    } else {
      out.push(arg);
    }
  }
  return out;
}
