/**
 * Golden files, exact and two-sided: every test/golden/valid/<case>/spec.yaml must compile to
 * exactly its expected.json (definition, asset plan, S3-upload flag), and every
 * test/golden/invalid/<case>/spec.yaml must produce exactly its expected diagnostics.
 * `UPDATE_GOLDEN=1` (npm run golden) rewrites the expected files; review the diff.
 * `GOLDEN_CASE=<substring>` limits a run (and an update) to matching cases, so one engineer's
 * update never rewrites another's work in progress.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/index.js';
import type { CompileResult } from '../../src/compiler/types.js';
import { nodeSourceFiles } from '../../src/platform/source-files.js';
import type { Diagnostic } from '../../src/spec/diagnostics.js';
import { loadSpec } from '../../src/spec/load.js';

const root = join(import.meta.dirname, '..', '..');
const files = nodeSourceFiles(root);
const update = process.env.UPDATE_GOLDEN === '1';
const only = process.env.GOLDEN_CASE;

function cases(kind: 'valid' | 'invalid'): string[] {
  const dir = join(root, 'test', 'golden', kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'spec.yaml')))
    .map((d) => d.name)
    .filter((name) => only === undefined || name.includes(only))
    .sort();
}

function run(kind: 'valid' | 'invalid', name: string): { diagnostics: Diagnostic[]; result?: CompileResult } {
  const specPath = `test/golden/${kind}/${name}/spec.yaml`;
  const text = readFileSync(join(root, specPath), 'utf8');
  const loaded = loadSpec(text, specPath, { files, specPath });
  if (!loaded.spec) return { diagnostics: loaded.diagnostics };
  const result = compile({ spec: loaded.spec, sourceMap: loaded.sourceMap, specPath, files }, { region: 'us-east-1' });
  return { diagnostics: [...loaded.diagnostics, ...result.diagnostics], result };
}

/** Compares against expected.json both as data and as text (so key order and extra keys count). */
function checkGolden(path: string, actual: unknown): void {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (update) writeFileSync(path, text);
  expect(existsSync(path), `${path} is missing; run npm run golden`).toBe(true);
  const expectedText = readFileSync(path, 'utf8');
  expect(actual).toStrictEqual(JSON.parse(expectedText));
  expect(text).toBe(expectedText);
}

const validCases = cases('valid');
const invalidCases = cases('invalid');

// A GOLDEN_CASE filter may leave one kind without cases; vitest rejects an empty suite.
if (validCases.length) describe('golden: valid specs compile to their expected definition', () => {
  for (const name of validCases) {
    it(name, () => {
      const { diagnostics, result } = run('valid', name);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const actual = {
        definition: result?.definition,
        assets: (result?.assets ?? []).map(({ source, kind, sha256, key, size }) => ({ source, kind, sha256, key, size })),
        requiresS3Upload: result?.requiresS3Upload,
      };
      checkGolden(join(root, 'test', 'golden', 'valid', name, 'expected.json'), actual);
      // The text sent to SageMaker is the same definition, serialized.
      expect(JSON.parse(result?.definitionJson ?? 'null')).toStrictEqual(result?.definition);
    });
  }
});

if (invalidCases.length) describe('golden: invalid specs give exactly their expected diagnostics', () => {
  for (const name of invalidCases) {
    it(name, () => {
      const { diagnostics } = run('invalid', name);
      expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
      const actual = diagnostics.map((d) => {
        const out: { line: number; column: number; code: string; message: string; hint?: string } = {
          line: d.line,
          column: d.column,
          code: d.code,
          message: d.message,
        };
        if (d.hint !== undefined) out.hint = d.hint;
        return out;
      });
      checkGolden(join(root, 'test', 'golden', 'invalid', name, 'expected.json'), actual);
    });
  }
});
