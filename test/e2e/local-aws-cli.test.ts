// The AWS CLI (botocore, a second independent client implementation) against the local backend.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreatePipelineCommand, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../src/local/index.js';
import { clients, definition, scriptedRunner, tempDir, token } from '../unit/local/helpers.js';

const run = promisify(execFile);

async function findAws(): Promise<string | undefined> {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v aws']);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

const aws = await findAws();

describe('local backend with the AWS CLI', () => {
  const state = tempDir();
  const scripted = scriptedRunner();
  let backend: LocalBackend;
  beforeAll(async () => {
    backend = await startLocalBackend({ stateDir: state.dir, runner: scripted.runner });
  });
  afterAll(async () => {
    for (const run of scripted.runs) await run.finish({ status: 'Succeeded' });
    await backend.close();
    state.remove();
  });

  const title = 'lists pipelines, reads job logs and copies a file into S3';
  // Skipped only when the binary is missing: the CLI is an optional second client.
  it.skipIf(aws === undefined)(aws === undefined ? `${title} — skipped: no \`aws\` binary on PATH` : title, async () => {
    const c = clients(backend.endpoint);
    await c.s3.send(new CreateBucketCommand({ Bucket: 'cli-bucket' }));
    await c.sagemaker.send(
      new CreatePipelineCommand({ PipelineName: 'cli-visible', PipelineDefinition: definition, RoleArn: 'arn:aws:iam::000000000000:role/R', ClientRequestToken: token('c') }),
    );
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: state.dir,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(state.dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(state.dir, 'no-credentials'),
    };
    const cli = async (...args: string[]): Promise<string> => (await run(aws ?? 'aws', ['--endpoint-url', backend.endpoint, ...args], { env, timeout: 15_000 })).stdout;

    // The scripted runner records a training job's log lines, as the engine does.
    const { PipelineExecutionArn: arn } = await c.sagemaker.send(new StartPipelineExecutionCommand({ PipelineName: 'cli-visible', ClientRequestToken: token('run') }));
    const jobName = `pipelines-${arn?.split('/').pop() ?? ''}-Train-abc`;
    const file = join(state.dir, 'upload.txt');
    writeFileSync(file, 'hello from the cli\n'.repeat(100));
    // Independent calls run side by side: the CLI's start-up dominates the test's time.
    const [pipelines, logs] = await Promise.all([
      cli('sagemaker', 'list-pipelines', '--output', 'json'),
      cli('logs', 'filter-log-events', '--log-group-name', '/aws/sagemaker/TrainingJobs', '--log-stream-name-prefix', jobName, '--output', 'json'),
      cli('s3', 'cp', file, 's3://cli-bucket/dir/upload.txt'),
    ]);
    expect((JSON.parse(logs) as { events: { message: string }[] }).events.map((e) => e.message)).toEqual(['epoch 1 loss=0.5', 'Traceback: boom']);
    const listed = JSON.parse(pipelines) as { PipelineSummaries: { PipelineName: string }[] };
    expect(listed.PipelineSummaries.map((p) => p.PipelineName)).toEqual(['cli-visible']);
    const uploaded = await c.s3.send(new GetObjectCommand({ Bucket: 'cli-bucket', Key: 'dir/upload.txt' }));
    expect(await uploaded.Body?.transformToString()).toBe('hello from the cli\n'.repeat(100));
    const listedObjects = await c.s3.send(new ListObjectsV2Command({ Bucket: 'cli-bucket' }));
    expect(listedObjects.Contents?.map((o) => [o.Key, o.Size])).toEqual([['dir/upload.txt', 1900]]);
  });
});
