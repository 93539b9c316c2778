/**
 * The CI files against the published JSON Schemas (SchemaStore's github-workflow.json and
 * github-action.json, GitLab's ci.json), vendored under schemas/ because tests have no network.
 * schemas/README.md says where each copy came from and when.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { actionFiles, gitlabCi, workflows, type CiFile } from './load.js';

function compile(file: string) {
  const schema = JSON.parse(readFileSync(new URL(`schemas/${file}`, import.meta.url), 'utf8')) as object;
  // The published schemas use draft-07 plus editor-only keywords (markdownDescription, …):
  // strict mode would reject those, which says nothing about the files checked.
  // Formats (uri, date-time, regex) are not checked: ajv-formats is not a dependency, and no
  // value in these files is worth a dependency to check.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(schema);
}

function problems(validate: ReturnType<typeof compile>, f: CiFile): string[] {
  if (validate(f.data)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${f.path}${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

describe('published JSON Schemas', () => {
  const workflow = compile('github-workflow.json');
  const action = compile('github-action.json');
  const gitlab = compile('gitlab-ci.json');

  it('reject what they should (the schemas are live, not empty)', () => {
    expect(workflow({ on: 'push', jobs: { a: { 'runs-on': 'x', steps: [{ run: 1, nope: true }] } } })).toBe(false);
    expect(action({ name: 'x', runs: { using: 'node20' } })).toBe(false);
    expect(gitlab({ job: { script: 'x', when: 'sometimes' } })).toBe(false);
  });

  for (const wf of workflows()) {
    it(`${wf.path} is a valid workflow`, () => expect(problems(workflow, wf)).toEqual([]));
  }
  for (const a of actionFiles()) {
    it(`${a.path} is valid action metadata`, () => expect(problems(action, a)).toEqual([]));
  }
  it('.gitlab-ci.yml is a valid GitLab CI configuration', () => expect(problems(gitlab, gitlabCi())).toEqual([]));
});
