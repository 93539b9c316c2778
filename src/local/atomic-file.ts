/**
 * Atomic file replacement: write a sibling temp file, then rename over the target. rename(2)
 * within one directory is atomic, so a backend killed with SIGKILL leaves either the old or
 * the new content on disk, never a torn file.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Replaces `path` with `data` atomically, creating parent directories as needed. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  // The random suffix keeps concurrent writers of the same target from sharing a temp file.
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temp, data);
  renameSync(temp, path);
}
