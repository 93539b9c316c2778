// Builds the smpk CLI bundle and every action bundle with esbuild. A bundle starts in tens of
// milliseconds, which a TypeScript loader at run time could not.
//   node scripts/build.mjs            CLI only (what `npm ci` runs through `prepare`)
//   node scripts/build.mjs --actions  also the committed action bundles (actions/*/dist/index.js)
//   node scripts/build.mjs --bench    also the benchmark's per-process measurer
import { build } from 'esbuild';
import { chmodSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ACTIONS, actionBundle, cliBundle, scriptBundle } from './bundles.mjs';

rmSync('dist', { recursive: true, force: true }); // stale chunks would otherwise pile up
await build(cliBundle);
chmodSync('dist/cli.js', 0o755);

// The local engine runs a few Python files of its own (inference harness, data-quality check,
// the /opt/ml path shim); a bundle finds them under dist/local-engine/ (src/local/engine/assets.ts).
for (const asset of ['inference_harness.py', 'data_quality.py', 'pyshim/sitecustomize.py']) {
  const target = path.join('dist/local-engine', asset);
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(path.join('src/local/engine', asset), target);
}

if (process.argv.includes('--actions')) {
  for (const name of ACTIONS) await build(actionBundle(name));
}

if (process.argv.includes('--bench')) {
  await build(scriptBundle('bench/compile-one.ts', 'dist/bench/compile-one.js'));
  await build(scriptBundle('bench/watch-bench.ts', 'dist/bench/watch-bench.js'));
}
