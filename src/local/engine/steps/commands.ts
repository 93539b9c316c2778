/** The process command and environment shared by the job runners. */
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '../ports.js';
import { rewriteOptMl, type Sandbox } from '../sandbox.js';

/** Maps a container's interpreter to the local one: images call python `python3`/`python`, the host may call it otherwise. */
export function localCommand(command: string, python: string): string {
  if (/^(?:\/usr(?:\/local)?\/bin\/|\/opt\/conda\/bin\/)?python(?:3(?:\.\d+)?)?$/.test(command)) return python;
  return command;
}

/** Directory of the sitecustomize.py that maps hard-coded /opt/ml paths for Python jobs (bundles must copy it alongside). */
export const PYTHON_SHIM_DIR = fileURLToPath(new URL('../pyshim/', import.meta.url));

/**
 * Environment of a job process: the host's base environment, then the job's Environment with
 * /opt/ml paths mapped, then SMPK_OPT_ML (the sandbox's /opt/ml) with the Python shim first on
 * PYTHONPATH, so scripts that hard-code /opt/ml/... paths work unchanged.
 */
export function jobEnvironment(base: Record<string, string>, sandbox: Sandbox, jobEnv: JsonObject, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...base, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
  for (const [key, value] of Object.entries(jobEnv)) env[key] = rewriteOptMl(typeof value === 'string' ? value : JSON.stringify(value), sandbox);
  Object.assign(env, extra);
  env['SMPK_OPT_ML'] = sandbox.map('/opt/ml');
  env['PYTHONPATH'] = [PYTHON_SHIM_DIR.replace(/\/$/, ''), env['PYTHONPATH']].filter((p) => p !== undefined && p !== '').join(':');
  return env;
}
