/**
 * shellcheck over the shell in every workflow `run:` block and every GitLab job script, the way
 * actionlint runs it (bash, `${{ … }}` replaced by a placeholder, the same excluded codes).
 * Skipped, and only this check, where shellcheck is not installed (`apt-get install shellcheck`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitlabCi, gitlabScripts, runBlocks, workflows, type ShellBlock } from './load.js';

const installed = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;

// actionlint's exclusions: SC1091 (sourced files), SC2050/SC2194 (constant expressions left by
// placeholders), SC2154 (variables set by CI, not by the script), SC2157 (placeholder strings).
const EXCLUDED = 'SC1091,SC2050,SC2154,SC2157,SC2194';

interface Finding {
  file: string;
  line: number;
  level: string;
  code: number;
  message: string;
}

function shellcheck(blocks: ShellBlock[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'smpk-shellcheck-'));
  try {
    const files = blocks.map((b, i) => {
      const file = join(dir, `${i}.sh`);
      // GitHub runs `bash -e {0}` (with pipefail); GitLab's images run the script in bash or sh.
      writeFileSync(file, `#!/bin/bash\n${b.script}\n`);
      return file;
    });
    const r = spawnSync('shellcheck', ['--norc', '-f', 'json', '-S', 'style', '-e', EXCLUDED, ...files], { encoding: 'utf8' });
    const findings = JSON.parse(r.stdout || '[]') as Finding[];
    return findings.map((f) => {
      const block = blocks[files.indexOf(f.file)];
      return `${block?.where ?? f.file} line ${f.line - 1}: SC${f.code} ${f.level}: ${f.message}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Only this check is skipped, and the test name says why.
const title = installed ? 'shellcheck' : 'shellcheck (skipped: shellcheck is not installed; apt-get install -y shellcheck)';

describe.skipIf(!installed)(title, () => {
  it('finds the problems it exists for', () => {
    expect(shellcheck([{ where: 'probe', script: 'rm -rf $DIR/*' }]).join('\n')).toMatch(/SC2086|SC2115/);
  });

  for (const wf of workflows()) {
    it(`${wf.path} run: blocks are clean`, () => expect(shellcheck(runBlocks(wf))).toEqual([]));
  }
  it('.gitlab-ci.yml scripts are clean', () => expect(shellcheck(gitlabScripts(gitlabCi()))).toEqual([]));
});
