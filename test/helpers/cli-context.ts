/** An in-memory CliContext: files, output, clock and AWS clients all fake, nothing real touched. */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import path from 'node:path';
import type { CliContext } from '../../src/cli/context.js';
import { virtualClock } from '../../src/ops/clock.js';
import { memorySourceFiles } from '../../src/platform/source-files.js';
import { memoryOutput } from '../../src/platform/terminal.js';

const ROOT = '/repo';

/** A context over `files` (repository-relative paths), with a .git marker at /repo. */
export function fakeCli(files: Record<string, string>, env: Record<string, string> = {}) {
  const output = memoryOutput();
  const written: Record<string, string> = {};
  const abs = (p: string) => path.resolve(ROOT, p);
  const all = new Map(Object.entries(files).map(([k, v]) => [abs(k), v]));
  const dirs = new Set<string>([ROOT, path.join(ROOT, '.git')]);
  for (const f of all.keys()) for (let d = path.dirname(f); d.startsWith(ROOT); d = path.dirname(d)) dirs.add(d);
  const controller = new AbortController();
  let n = 0;
  const ctx: CliContext = {
    fs: {
      cwd: () => ROOT,
      exists: (p) => all.has(p) || dirs.has(p),
      isDirectory: (p) => dirs.has(p),
      readText: (p) => {
        const t = all.get(p);
        if (t === undefined) throw new Error(`ENOENT: ${p}`);
        return t;
      },
      list: (p) => [...new Set([...all.keys(), ...dirs].filter((f) => path.dirname(f) === p).map((f) => path.basename(f)))],
    },
    output,
    env: { AWS_REGION: 'us-east-1', ...env },
    sourceFiles: () => memorySourceFiles(files),
    clients: (region) => ({
      sagemaker: new SageMakerClient({ region }),
      s3: new S3Client({ region }),
      codebuild: new CodeBuildClient({ region }),
      logs: new CloudWatchLogsClient({ region }),
      runtime: new SageMakerRuntimeClient({ region }),
    }),
    clock: virtualClock(Date.UTC(2026, 10, 22, 12, 0, 0)),
    random: () => 0.5,
    uuid: () => `uuid-${n++}`,
    signal: controller.signal,
    localBackend: () => import('../../src/local/index.js'),
    writeFile: (p, data) => {
      written[p] = data;
    },
  };
  return { ctx, output, written, controller };
}
