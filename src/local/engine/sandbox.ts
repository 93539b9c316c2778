/**
 * A job's sandbox: a directory standing in for the container's filesystem root, so `/opt/ml/...`
 * paths of the SageMaker container contract land under `<workDir>/<job>/opt/ml/...`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { StepFailure } from './failure.js';

/** A created sandbox. */
export interface Sandbox {
  /** Host directory standing for `/`. */
  root: string;
  /** Host path of a container path under /opt/ml; other paths are returned unchanged. */
  map(containerPath: string): string;
  /** Host path of a data path (LocalPath) that must be under /opt/ml; a ClientError otherwise. */
  mapData(containerPath: string): string;
}

/** Creates `<workDir>/<jobName>` and returns its path mapping. */
export async function createSandbox(workDir: string, jobName: string): Promise<Sandbox> {
  const root = path.join(path.resolve(workDir), jobName);
  await mkdir(path.join(root, 'opt', 'ml'), { recursive: true });
  const map = (containerPath: string): string => {
    if (containerPath !== '/opt/ml' && !containerPath.startsWith('/opt/ml/')) return containerPath;
    const mapped = path.resolve(root, '.' + path.posix.normalize(containerPath));
    // A path like /opt/ml/../../etc must not leave the sandbox.
    if (!mapped.startsWith(root + path.sep)) throw new StepFailure(`ClientError: path '${containerPath}' leaves /opt/ml.`);
    return mapped;
  };
  const mapData = (containerPath: string): string => {
    // Security: inputs are written and outputs read at these paths; anywhere outside the
    // sandbox would be the host's own filesystem.
    if (containerPath !== '/opt/ml' && !containerPath.startsWith('/opt/ml/')) {
      throw new StepFailure(`ClientError: LocalPath '${containerPath}' must be under /opt/ml (SageMaker requires /opt/ml/processing/...).`);
    }
    return map(containerPath);
  };
  return { root, map, mapData };
}

/** Rewrites every `/opt/ml/...` occurrence at the start of a string or after `=` (for `--flag=/opt/ml/x`). */
export function rewriteOptMl(value: string, sandbox: Sandbox): string {
  return value.replace(/(^|=)(\/opt\/ml(?:\/[^\s:,;]*)?)/g, (_m, lead: string, p: string) => lead + sandbox.map(p));
}
