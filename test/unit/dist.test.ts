// The committed action bundles must be exactly what the source builds to: a reviewer reads the
// TypeScript, GitHub runs the bundle, and this test keeps the two the same.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { ACTIONS, actionBundle } from '../../scripts/bundles.mjs';

describe('committed action bundles', () => {
  for (const name of ACTIONS as string[]) {
    it(`actions/${name}/dist/index.js matches the source (run \`npm run build:actions\` after changing src/)`, async () => {
      const result = await build({ ...actionBundle(name), write: false });
      const built = result.outputFiles?.[0]?.text ?? '';
      const committed = readFileSync(`actions/${name}/dist/index.js`, 'utf8');
      expect(built.length).toBeGreaterThan(0);
      // Compare lengths first so a mismatch reports a readable figure, not a 2 MB diff.
      expect(committed.length).toBe(built.length);
      expect(committed === built).toBe(true);
    }, 60_000);
  }
});
