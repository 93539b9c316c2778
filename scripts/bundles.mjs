// The esbuild configurations of every bundle: the smpk CLI and one per GitHub action. Shared by
// scripts/build.mjs (writes them) and the check-dist test (rebuilds in memory and compares), so
// committed action bundles provably match the source.

export const ACTIONS = ['validate-spec', 'compile-pipeline', 'run-pipeline', 'watch-pipeline', 'run-codebuild', 'check-metrics', 'approve-model', 'deploy-endpoint'];

const banner =
  "import { createRequire as __smpkCreateRequire } from 'node:module'; const require = __smpkCreateRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  logLevel: 'warning',
  legalComments: 'none',
  // Deterministic output: no absolute paths or timestamps end up in bundles.
  sourcemap: false,
  absWorkingDir: process.cwd(),
};

/**
 * The CLI bundle (not committed; built by `npm ci` through `prepare`). Split into chunks so a
 * command loads only what it uses: `smpk compile` never evaluates the AWS SDK or the local backend.
 */
export const cliBundle = {
  ...common,
  entryPoints: { cli: 'src/entrypoints/cli.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: `#!/usr/bin/env node\n${banner}` },
};

/** A single-file bundle of a Node script (benchmarks). */
export function scriptBundle(entry, outfile) {
  return { ...common, entryPoints: [entry], outfile, banner: { js: banner } };
}

/** One committed bundle per action. */
export function actionBundle(name) {
  return {
    ...common,
    entryPoints: [`src/entrypoints/${name}.ts`],
    outfile: `actions/${name}/dist/index.js`,
    banner: { js: banner },
    // Minified (names kept for readable traces): the bundles are committed, so size is history size.
    minify: true,
    keepNames: true,
  };
}
