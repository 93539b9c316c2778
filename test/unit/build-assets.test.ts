// The bundle copies the local engine's Python assets; the list in scripts/build.mjs must stay the
// engine's own list, or `npm start` breaks only when run from the bundle.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENGINE_ASSETS } from '../../src/local/engine/assets.js';

describe('build script', () => {
  it('copies every engine asset into dist/local-engine', () => {
    const script = readFileSync('scripts/build.mjs', 'utf8');
    for (const asset of ENGINE_ASSETS) expect(script).toContain(`'${asset}'`);
  });
});
