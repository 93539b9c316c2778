// Generated files must be what their generators produce from the current schema; a stale one
// would document, type or validate a spec format that no longer exists.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import schema from '../../schemas/pipeline-spec.schema.json' with { type: 'json' };
import { schemaHash } from '../../src/spec/schema-validator.generated.js';

describe('generated files', () => {
  it('the precompiled validator was generated from the current schema (run `npm run gen`)', () => {
    expect(schemaHash).toBe(createHash('sha256').update(JSON.stringify(schema)).digest('hex'));
  });
  for (const script of ['scripts/gen-types.mjs', 'scripts/gen-validator.mjs', 'scripts/gen-spec-reference.mjs']) {
    it(`${script} --check passes (run \`npm run gen\`)`, () => {
      expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
    }, 30_000);
  }
});
