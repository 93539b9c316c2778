/** The process command and environment shared by the job runners. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { enginePath } from '../assets.js';
import type { JsonObject } from '../ports.js';
import { rewriteOptMl, type Sandbox } from '../sandbox.js';

const SHELLS = /^(?:\/usr)?\/bin\/(?:ba)?sh$|^(?:ba)?sh$/;

/**
 * The entrypoint's script (or command) when it is an absolute path that does not exist: inside
 * the image (outside /opt/ml, which this host lacks), or under /opt/ml but provided by no input.
 * `argv` is already mapped into the sandbox.
 */
export function missingEntrypointFile(argv: string[], python: string, sandbox: Sandbox): { path: string; inImage: boolean } | undefined {
  const [command, first] = argv;
  const interpreter = command === python || SHELLS.test(command ?? '');
  const candidate = interpreter ? first : command;
  if (candidate === undefined || !path.isAbsolute(candidate) || existsSync(candidate)) return undefined;
  const inSandbox = candidate.startsWith(sandbox.root + path.sep);
  // Report container paths, not the host's sandbox paths.
  return { path: inSandbox ? candidate.slice(sandbox.root.length) : candidate, inImage: !inSandbox };
}

/**
 * Shell entrypoints (like the SDK's framework runproc.sh, which `cd`s to /opt/ml/processing/...)
 * get a copy of their script with /opt/ml paths mapped; the Python shim cannot reach a shell.
 */
export async function mapShellScript(argv: string[], sandbox: Sandbox): Promise<string[]> {
  const [command, script, ...rest] = argv;
  if (command === undefined || script === undefined || !SHELLS.test(command) || !script.startsWith(sandbox.root + path.sep)) return argv;
  const text = await readFile(script, 'utf8').catch(() => undefined);
  if (text === undefined) return argv;
  const mapped = text.replace(/\/opt\/ml(?=[/\s"'`;:)]|$)/gm, sandbox.map('/opt/ml'));
  const copy = path.join(sandbox.root, '.smpk', path.basename(script));
  await mkdir(path.dirname(copy), { recursive: true });
  await writeFile(copy, mapped, { mode: 0o755 });
  return [command, copy, ...rest];
}

/** Maps a container's interpreter to the local one: images call python `python3`/`python`, the host may call it otherwise. */
export function localCommand(command: string, python: string): string {
  if (/^(?:\/usr(?:\/local)?\/bin\/|\/opt\/conda\/bin\/)?python(?:3(?:\.\d+)?)?$/.test(command)) return python;
  return command;
}

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
  env['PYTHONPATH'] = [enginePath('pyshim'), env['PYTHONPATH']].filter((p) => p !== undefined && p !== '').join(':');
  return env;
}
