/**
 * A job's sandbox: a directory standing in for the container's filesystem root, so `/opt/ml/...`
 * paths of the SageMaker container contract land under `<workDir>/<job>/opt/ml/...`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** A created sandbox. */
export interface Sandbox {
  /** Host directory standing for `/`. */
  root: string;
  /** Host path of a container path under /opt/ml; other paths are returned unchanged. */
  map(containerPath: string): string;
}

/** Creates `<workDir>/<jobName>` and returns its path mapping. */
export async function createSandbox(workDir: string, jobName: string): Promise<Sandbox> {
  const root = path.join(path.resolve(workDir), jobName);
  await mkdir(path.join(root, 'opt', 'ml'), { recursive: true });
  const map = (containerPath: string): string => {
    if (containerPath !== '/opt/ml' && !containerPath.startsWith('/opt/ml/')) return containerPath;
    const mapped = path.resolve(root, '.' + path.posix.normalize(containerPath));
    // A path like /opt/ml/../../etc must not leave the sandbox.
    if (!mapped.startsWith(root + path.sep)) throw new Error(`path '${containerPath}' leaves the job sandbox`);
    return mapped;
  };
  return { root, map };
}

/** Rewrites every `/opt/ml/...` occurrence at the start of a string or after `=` (for `--flag=/opt/ml/x`). */
export function rewriteOptMl(value: string, sandbox: Sandbox): string {
  return value.replace(/(^|=)(\/opt\/ml(?:\/[^\s:,;]*)?)/g, (_m, lead: string, p: string) => lead + sandbox.map(p));
}
