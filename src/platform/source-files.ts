/**
 * SourceFiles implementations: the real repository on disk, and an in-memory one for tests. The
 * compiler only ever reads code through these, so it never sees absolute paths.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import type { SourceFiles } from '../compiler/types.js';

/**
 * The repository at `root` on disk. Relative paths that escape the root are refused, and so are
 * symlinks whose target lies outside it: a spec must not be able to upload `~/.aws/credentials`.
 */
export function nodeSourceFiles(root: string): SourceFiles {
  const realRoot = realpathSync(root);
  const inside = (relativePath: string): string | undefined => {
    const normalized = posix.normalize(relativePath === '' ? '.' : relativePath);
    if (normalized.startsWith('/') || normalized === '..' || normalized.startsWith('../')) return undefined;
    let real: string;
    try {
      real = realpathSync(resolve(realRoot, normalized));
    } catch {
      return undefined;
    }
    // Security: symlinks are resolved first, then the real target must still be under the root.
    const rel = relative(realRoot, real);
    if (rel === '..' || rel.startsWith(`..${sep}`) || resolve(realRoot, rel) !== real) return undefined;
    return real;
  };
  return {
    readFile(relativePath) {
      const real = inside(relativePath);
      if (!real) return undefined;
      try {
        if (!statSync(real).isFile()) return undefined;
        return new Uint8Array(readFileSync(real));
      } catch {
        return undefined;
      }
    },
    listDirectory(relativePath) {
      const real = inside(relativePath);
      if (!real) return undefined;
      try {
        if (!statSync(real).isDirectory()) return undefined;
        const entries: { name: string; kind: 'file' | 'directory' }[] = [];
        for (const entry of readdirSync(real, { withFileTypes: true })) {
          const child = relativePath === '' ? entry.name : `${relativePath}/${entry.name}`;
          const target = inside(child);
          if (!target) continue; // escaping symlinks (and broken ones) are simply not there
          const stat = statSync(target);
          if (stat.isFile()) entries.push({ name: entry.name, kind: 'file' });
          else if (stat.isDirectory()) entries.push({ name: entry.name, kind: 'directory' });
        }
        return entries;
      } catch {
        return undefined;
      }
    },
  };
}

/** An in-memory repository: keys are POSIX paths, values file contents (strings are UTF-8). */
export function memorySourceFiles(record: Readonly<Record<string, string | Uint8Array>>): SourceFiles {
  const files = new Map<string, Uint8Array>();
  for (const [path, content] of Object.entries(record)) {
    files.set(posix.normalize(path), typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }
  const clean = (path: string): string | undefined => {
    const normalized = posix.normalize(path === '' ? '.' : path);
    return normalized.startsWith('/') || normalized === '..' || normalized.startsWith('../') ? undefined : normalized;
  };
  return {
    readFile(relativePath) {
      const path = clean(relativePath);
      return path === undefined ? undefined : files.get(path);
    },
    listDirectory(relativePath) {
      const path = clean(relativePath);
      if (path === undefined) return undefined;
      const prefix = path === '.' ? '' : `${path}/`;
      const entries = new Map<string, 'file' | 'directory'>();
      for (const file of files.keys()) {
        if (!file.startsWith(prefix)) continue;
        const rest = file.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash < 0) entries.set(rest, 'file');
        else entries.set(rest.slice(0, slash), 'directory');
      }
      if (entries.size === 0) return undefined;
      return [...entries].map(([name, kind]) => ({ name, kind }));
    },
  };
}
