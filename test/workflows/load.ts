/**
 * Shared loading for the workflow tests: the CI files this repository ships (GitHub workflows,
 * action metadata, .gitlab-ci.yml), parsed once, and the shell blocks inside them.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CiFile {
  /** Path relative to the repository root, as CI and actionlint print it. */
  path: string;
  text: string;
  data: Record<string, unknown>;
}

function load(path: string): CiFile {
  const text = readFileSync(join(root, path), 'utf8');
  return { path, text, data: parse(text) as Record<string, unknown> };
}

/** Every .github/workflows/*.yml (and *.yaml). */
export function workflows(): CiFile[] {
  const dir = join(root, '.github/workflows');
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => load(relative(root, join(dir, f))));
}

/** Every actions/<name>/action.yml. */
export function actionFiles(): CiFile[] {
  const dir = join(root, 'actions');
  return readdirSync(dir)
    .sort()
    .map((name) => join('actions', name, 'action.yml'))
    .filter((p) => existsSync(join(root, p)))
    .map(load);
}

export function gitlabCi(): CiFile {
  return load('.gitlab-ci.yml');
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A workflow's jobs as [id, job] pairs. */
export function jobsOf(wf: CiFile): [string, Obj][] {
  const jobs = wf.data.jobs;
  return isObj(jobs) ? Object.entries(jobs).filter((e): e is [string, Obj] => isObj(e[1])) : [];
}

/** A job's steps. */
export function stepsOf(job: Obj): Obj[] {
  return Array.isArray(job.steps) ? job.steps.filter(isObj) : [];
}

export interface ShellBlock {
  /** Where it is, e.g. ".github/workflows/retrain.yml jobs.changed.steps[1]". */
  where: string;
  script: string;
}

/**
 * The `run:` blocks of a workflow, with every `${{ … }}` replaced by a same-length placeholder
 * word, as actionlint does before it hands a script to shellcheck.
 */
export function runBlocks(wf: CiFile): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  for (const [id, job] of jobsOf(wf)) {
    stepsOf(job).forEach((step, i) => {
      if (typeof step.run === 'string') {
        blocks.push({ where: `${wf.path} jobs.${id}.steps[${i}]`, script: step.run.replace(/\$\{\{[^}]*\}\}/g, (m) => '_'.repeat(m.length)) });
      }
    });
  }
  return blocks;
}


function scriptLines(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.flatMap(scriptLines) : [];
}

/**
 * The shell scripts of every GitLab job and template, as the runner assembles them: the lines
 * of before_script + script in one shell, after_script in another.
 */
export function gitlabScripts(ci: CiFile): ShellBlock[] {
  const defaults = isObj(ci.data.default) ? ci.data.default : {};
  const blocks: ShellBlock[] = [];
  for (const [name, job] of Object.entries(ci.data)) {
    if (!isObj(job) || name === 'default' || name === 'variables' || name === 'workflow') continue;
    const before = scriptLines(job.before_script ?? defaults.before_script);
    const main = scriptLines(job.script);
    const after = scriptLines(job.after_script ?? defaults.after_script);
    if (before.length + main.length > 0) blocks.push({ where: `.gitlab-ci.yml ${name} (before_script + script)`, script: [...before, ...main].join('\n') });
    if (after.length > 0) blocks.push({ where: `.gitlab-ci.yml ${name} (after_script)`, script: after.join('\n') });
  }
  return blocks;
}

