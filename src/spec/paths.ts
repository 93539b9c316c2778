/**
 * Local paths in a spec: relative to the spec file, resolved to repository-relative POSIX paths,
 * and refused when they are absolute or climb out of the repository.
 */
import { posix } from 'node:path';

export type ResolvedPath = { ok: true; path: string } | { ok: false; reason: 'absolute' | 'escapes' };

/** Resolves `path` (relative to the spec at repository-relative `specPath`) inside the repository. */
export function resolveSpecPath(specPath: string, path: string): ResolvedPath {
  // Security: absolute and drive-letter paths would read whatever the CI machine has there.
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return { ok: false, reason: 'absolute' };
  const base = posix.dirname(specPath.replace(/\\/g, '/'));
  const joined = posix.normalize(posix.join(base, path.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return { ok: false, reason: 'escapes' };
  return { ok: true, path: joined === '.' ? '' : joined.replace(/\/$/, '') };
}
