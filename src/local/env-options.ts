/** Options of `smpk local start` that come from the environment, read where the CLI passes its env map. */
import { parseFaults, type FaultConfig } from './faults.js';

/** The fault configuration from `SMPK_LOCAL_FAULTS` in `env` (undefined when unset); throws on a malformed value. */
export function localBackendOptionsFromEnv(env: Record<string, string | undefined>): { faults?: FaultConfig } {
  const faults = parseFaults(env['SMPK_LOCAL_FAULTS']);
  return faults === undefined ? {} : { faults };
}
