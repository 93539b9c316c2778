/** The real file system behind the ops' SpecFileSystem port (CLI and actions only). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { SpecFileSystem } from '../ops/spec-files.js';

/** SpecFileSystem over node:fs, relative to the process's working directory. */
export const nodeSpecFileSystem: SpecFileSystem = {
  cwd: () => process.cwd(),
  exists: (p) => existsSync(p),
  isDirectory: (p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  readText: (p) => readFileSync(p, 'utf8'),
  list: (p) => readdirSync(p),
};
