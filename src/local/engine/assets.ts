/**
 * The Python files the engine runs besides user code: inference_harness.py (Transform and the
 * model server), data_quality.py (QualityCheck) and pyshim/sitecustomize.py (the /opt/ml mapping).
 * They live next to this module in the source tree; a bundle (dist/cli.js) must copy them to
 * dist/local-engine/ — ENGINE_ASSETS lists what to copy.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Engine-relative paths of every asset, for the bundler's copy step. */
export const ENGINE_ASSETS = ['inference_harness.py', 'data_quality.py', 'pyshim/sitecustomize.py'] as const;

/**
 * Host path of an asset: next to this module (source tree), else under local-engine/ beside the
 * bundle — or one level up, since a split bundle puts this module in dist/chunks/.
 */
export function enginePath(asset: (typeof ENGINE_ASSETS)[number] | 'pyshim'): string {
  const candidates = [`./${asset}`, `./local-engine/${asset}`, `../local-engine/${asset}`].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}
