// Bundles the smpk CLI (and, later, each action) with esbuild. A bundle starts in tens of
// milliseconds, which a TypeScript loader at run time could not.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const banner = {
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  js: "import { createRequire as __smpkCreateRequire } from 'node:module'; const require = __smpkCreateRequire(import.meta.url);",
};

await build({
  entryPoints: ['src/entrypoints/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  banner: { js: `#!/usr/bin/env node\n${banner.js}` },
  logLevel: 'warning',
  legalComments: 'none',
});
chmodSync('dist/cli.js', 0o755);

// `node scripts/build.mjs --bench` also bundles the benchmark's per-process measurer.
if (process.argv.includes('--bench')) {
  await build({
    entryPoints: ['bench/compile-one.ts'],
    outfile: 'dist/bench/compile-one.js',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner,
    logLevel: 'warning',
  });
}
