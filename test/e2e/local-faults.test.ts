// Fault injection: with throttling, 5xx, connection resets and slow answers at the given
// rates, the SDK's standard retry strategy still gets every call through, and a start retried
// with one ClientRequestToken yields exactly one execution.
import {
  CreatePipelineCommand,
  DescribePipelineCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults, startLocalBackend, type LocalBackend } from '../../src/local/index.js';
import { credentials, definition, scriptedRunner, tempDir, token } from '../unit/local/helpers.js';

describe('local backend under injected faults', () => {
  const state = tempDir();
  const scripted = scriptedRunner();
  const lines: string[] = [];
  let backend: LocalBackend;
  let sm: SageMakerClient;
  let s3: S3Client;

  beforeAll(async () => {
    const faults = parseFaults('throttle=0.2,5xx=0.1,reset=0.05,slow=0.1,slowMs=20,seed=7');
    expect(faults).toBeDefined();
    backend = await startLocalBackend({ stateDir: state.dir, runner: scripted.runner, logger: (line) => lines.push(line), ...(faults ? { faults } : {}) });
    // The SDK's default retry behaviour: standard mode, 3 attempts, its own backoff.
    const config = { endpoint: backend.endpoint, region: 'us-east-1', credentials };
    sm = new SageMakerClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
  });
  afterAll(async () => {
    await backend.close();
    state.remove();
  });

  it('gets every call through with retries and starts exactly one execution per token', async () => {
    await sm.send(new CreatePipelineCommand({ PipelineName: 'flaky', PipelineDefinition: definition, RoleArn: 'arn:aws:iam::000000000000:role/R', ClientRequestToken: token('c') }));
    await s3.send(new CreateBucketCommand({ Bucket: 'flaky' }));
    for (let i = 0; i < 5; i += 1) {
      await s3.send(new PutObjectCommand({ Bucket: 'flaky', Key: `k${i}`, Body: `value-${i}` }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'flaky', Key: `k${i}` }));
      expect(await got.Body?.transformToString()).toBe(`value-${i}`);
      expect((await sm.send(new DescribePipelineCommand({ PipelineName: 'flaky' }))).PipelineName).toBe('flaky');
    }
    const arns = new Set<string>();
    for (let i = 0; i < 4; i += 1) {
      const started = await sm.send(new StartPipelineExecutionCommand({ PipelineName: 'flaky', ClientRequestToken: token('commit-abc-run-7-attempt-1') }));
      arns.add(started.PipelineExecutionArn ?? '');
    }
    expect(arns.size).toBe(1);
    const listed = await sm.send(new ListPipelineExecutionsCommand({ PipelineName: 'flaky' }));
    expect(listed.PipelineExecutionSummaries).toHaveLength(1);
    expect(scripted.runs).toHaveLength(1);

    // The faults really happened: every kind shows up in the backend's request log.
    const faulted = lines.filter((l) => l.includes('fault'));
    for (const kind of ['throttle', 'server-error', 'reset', 'slow']) expect(faulted.some((l) => l.includes(`fault ${kind}`))).toBe(true);
    for (const run of scripted.runs) await run.finish({ status: 'Succeeded' });
  });
});
