// State survives restarts: a clean close + start on the same stateDir, and a backend process
// killed with SIGKILL in the middle of a run, restarted, loses nothing it acknowledged and
// fails the interrupted execution with a stated reason.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelPackageGroupCommand,
  CreatePipelineCommand,
  DescribeEndpointCommand,
  DescribeModelPackageGroupCommand,
  DescribePipelineCommand,
  DescribePipelineExecutionCommand,
  DescribeProcessingJobCommand,
  ListPipelineExecutionStepsCommand,
  ListTagsCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalBackend } from '../../src/local/index.js';
import { RESTART_FAILURE_REASON } from '../../src/local/executions.js';
import { clients, definition, eventually, manualClock, tempDir, token } from '../unit/local/helpers.js';

const role = 'arn:aws:iam::000000000000:role/R';

describe('local backend restarts', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => {
    for (const cleanup of cleanups) cleanup();
  });

  it('keeps pipelines, tags, objects, registry and endpoints across close + start, and fails executions left running', async () => {
    const state = tempDir();
    cleanups.push(state.remove);
    const clock = manualClock();
    const first = await startLocalBackend({ stateDir: state.dir, runner: null, clock, endpointTransitionMs: 1000 });
    let c = clients(first.endpoint);
    await c.s3.send(new CreateBucketCommand({ Bucket: 'keep' }));
    await c.s3.send(new PutObjectCommand({ Bucket: 'keep', Key: 'm/model.tar.gz', Body: 'weights' }));
    await c.sagemaker.send(new CreatePipelineCommand({ PipelineName: 'kept', PipelineDefinition: definition, RoleArn: role, ClientRequestToken: token('k'), Tags: [{ Key: 'a', Value: 'b' }] }));
    const { PipelineExecutionArn: arn } = await c.sagemaker.send(new StartPipelineExecutionCommand({ PipelineName: 'kept', ClientRequestToken: token('run-1') }));
    await c.sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'kept-group' }));
    await c.sagemaker.send(new CreateModelCommand({ ModelName: 'kept-model', PrimaryContainer: { Image: 'img', ModelDataUrl: 's3://keep/m/model.tar.gz' }, ExecutionRoleArn: role }));
    await c.sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'kept-config', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'kept-model' }] }));
    await c.sagemaker.send(new CreateEndpointCommand({ EndpointName: 'kept-endpoint', EndpointConfigName: 'kept-config' }));
    await first.close();

    // The endpoint's transition falls due while the backend is down.
    clock.advance(5000);
    const second = await startLocalBackend({ stateDir: state.dir, runner: null, clock });
    c = clients(second.endpoint);
    try {
      expect((await c.sagemaker.send(new DescribePipelineCommand({ PipelineName: 'kept' }))).PipelineDefinition).toBe(definition);
      expect((await c.sagemaker.send(new ListTagsCommand({ ResourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/kept' }))).Tags).toEqual([{ Key: 'a', Value: 'b' }]);
      expect(await (await c.s3.send(new GetObjectCommand({ Bucket: 'keep', Key: 'm/model.tar.gz' }))).Body?.transformToString()).toBe('weights');
      expect((await c.sagemaker.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'kept-group' }))).ModelPackageGroupName).toBe('kept-group');
      expect((await c.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'kept-endpoint' }))).EndpointStatus).toBe('InService');
      const execution = await c.sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
      expect(execution).toMatchObject({ PipelineExecutionStatus: 'Failed', FailureReason: RESTART_FAILURE_REASON });
      // The idempotency token survived too: the retried start returns the same (failed) execution.
      const again = await c.sagemaker.send(new StartPipelineExecutionCommand({ PipelineName: 'kept', ClientRequestToken: token('run-1') }));
      expect(again.PipelineExecutionArn).toBe(arn);
    } finally {
      await second.close();
    }
  });

  it('survives SIGKILL mid-run: acknowledged state is kept and the interrupted execution is failed', async () => {
    const state = tempDir();
    const bundleDir = tempDir('smpk-local-bundle-');
    cleanups.push(state.remove, bundleDir.remove);
    const outfile = join(bundleDir.dir, 'backend.mjs');
    // The backend runs in its own node process (bundled from source) so it can really be SIGKILLed.
    await build({
      stdin: {
        contents: `import { startLocalBackend } from './index.ts';
const backend = await startLocalBackend({ stateDir: process.argv[2] });
process.stdout.write(backend.endpoint + '\\n');`,
        resolveDir: fileURLToPath(new URL('../../src/local/', import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
    });
    const child: ChildProcess = spawn(process.execPath, [outfile, state.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    const endpoint = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`backend exited early (${String(code)})`)));
    });
    let c = clients(endpoint);
    const script = 'import time\nprint("started", flush=True)\ntime.sleep(3)\n';
    await c.s3.send(new CreateBucketCommand({ Bucket: 'work' }));
    await c.s3.send(new PutObjectCommand({ Bucket: 'work', Key: 'code/slow.py', Body: script }));
    const slow = JSON.stringify({
      Version: '2020-12-01',
      Parameters: [],
      Steps: [
        {
          Name: 'Slow',
          Type: 'Processing',
          Arguments: {
            ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 30 } },
            AppSpecification: { ImageUri: 'img', ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/slow.py'] },
            RoleArn: role,
            ProcessingInputs: [{ InputName: 'code', S3Input: { S3Uri: 's3://work/code/slow.py', LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } }],
          },
        },
      ],
    });
    await c.sagemaker.send(new CreatePipelineCommand({ PipelineName: 'slow', PipelineDefinition: slow, RoleArn: role, ClientRequestToken: token('s') }));
    const { PipelineExecutionArn: arn } = await c.sagemaker.send(new StartPipelineExecutionCommand({ PipelineName: 'slow', ClientRequestToken: token('run') }));
    const jobArn = await eventually(async () => {
      const steps = await c.sagemaker.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn }));
      const step = steps.PipelineExecutionSteps?.[0];
      return step?.StepStatus === 'Executing' ? step.Metadata?.ProcessingJob?.Arn : undefined;
    }, 10_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const restarted = await startLocalBackend({ stateDir: state.dir, runner: null });
    c = clients(restarted.endpoint);
    try {
      expect(await (await c.s3.send(new GetObjectCommand({ Bucket: 'work', Key: 'code/slow.py' }))).Body?.transformToString()).toBe(script);
      expect((await c.sagemaker.send(new DescribePipelineCommand({ PipelineName: 'slow' }))).PipelineDefinition).toBe(slow);
      const execution = await c.sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
      expect(execution).toMatchObject({ PipelineExecutionStatus: 'Failed', FailureReason: RESTART_FAILURE_REASON });
      const steps = await c.sagemaker.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn }));
      expect(steps.PipelineExecutionSteps?.map((s) => [s.StepName, s.StepStatus])).toEqual([['Slow', 'Failed']]);
      const job = await c.sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: jobArn?.split('/').pop() ?? '' }));
      expect(job).toMatchObject({ ProcessingJobStatus: 'Failed', FailureReason: RESTART_FAILURE_REASON });
    } finally {
      await restarted.close();
    }
  }, 20_000);
});
