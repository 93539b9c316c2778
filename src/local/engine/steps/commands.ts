/** The process command and environment shared by the job runners. */
import type { JsonObject } from '../ports.js';
import { rewriteOptMl, type Sandbox } from '../sandbox.js';

/** Maps a container's interpreter to the local one: images call python `python3`/`python`, the host may call it otherwise. */
export function localCommand(command: string, python: string): string {
  if (/^(?:\/usr(?:\/local)?\/bin\/|\/opt\/conda\/bin\/)?python(?:3(?:\.\d+)?)?$/.test(command)) return python;
  return command;
}

/**
 * Environment of a job process: the host's base environment, then the job's Environment with
 * /opt/ml paths mapped, then SMPK_OPT_ML so scripts can find the sandbox's /opt/ml themselves.
 */
export function jobEnvironment(base: Record<string, string>, sandbox: Sandbox, jobEnv: JsonObject, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...base, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
  for (const [key, value] of Object.entries(jobEnv)) env[key] = rewriteOptMl(typeof value === 'string' ? value : JSON.stringify(value), sandbox);
  Object.assign(env, extra);
  env['SMPK_OPT_ML'] = sandbox.map('/opt/ml');
  return env;
}
