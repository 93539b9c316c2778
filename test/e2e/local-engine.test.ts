// The backend with the real execution engine: a definition uploaded through S3 and run as
// local processes, observed only through the SageMaker, S3 and Logs wire protocols.
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreatePipelineCommand,
  DescribeEndpointCommand,
  DescribePipelineExecutionCommand,
  DescribeModelPackageCommand,
  DescribeProcessingJobCommand,
  ListModelPackagesCommand,
  UpdateModelPackageCommand,
  ListPipelineExecutionStepsCommand,
  StartPipelineExecutionCommand,
  type PipelineExecutionStep,
} from '@aws-sdk/client-sagemaker';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packTarGz } from '../../src/local/engine/tar.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../src/local/index.js';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { clients, credentials, eventually, tempDir, token } from '../unit/local/helpers.js';

const image = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

const SCRIPT = `
import os, sys
src = '/opt/ml/processing/input/data/numbers.txt'.replace('/opt/ml', os.environ['SMPK_OPT_ML'])
total = sum(int(line) for line in open(src))
print('total', total)
if os.environ.get('FAIL') == '1':
    print('Traceback (most recent call last): ValueError: bad numbers', file=sys.stderr)
    sys.exit(3)
out = '/opt/ml/processing/output'.replace('/opt/ml', os.environ['SMPK_OPT_ML'])
open(os.path.join(out, 'sum.txt'), 'w').write(str(total))
`;

const INFERENCE = `
import json, os
def model_fn(model_dir):
    return json.load(open(os.path.join(model_dir, 'model.json')))
def input_fn(body, content_type):
    return [float(x) for x in body.split(',')]
def predict_fn(data, model):
    return sum(data) * model['weight']
def output_fn(prediction, accept):
    return json.dumps({'prediction': prediction})
`;

function definition(fail: boolean): string {
  return JSON.stringify({
    Version: '2020-12-01',
    Metadata: {},
    Parameters: [],
    Steps: [
      {
        Name: 'Sum',
        Type: 'Processing',
        Arguments: {
          ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 30 } },
          AppSpecification: { ImageUri: image, ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/sum.py'] },
          RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
          Environment: { FAIL: fail ? '1' : '0' },
          ProcessingInputs: [
            { InputName: 'data', AppManaged: false, S3Input: { S3Uri: 's3://work/data', LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
            { InputName: 'code', AppManaged: false, S3Input: { S3Uri: 's3://work/code/sum.py', LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } },
          ],
          ProcessingOutputConfig: {
            Outputs: [{ OutputName: 'sum', AppManaged: false, S3Output: { S3Uri: 's3://work/out', LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob' } }],
          },
        },
      },
      {
        Name: 'Register',
        Type: 'RegisterModel',
        DependsOn: ['Sum'],
        Arguments: {
          ModelPackageGroupName: 'SumModels',
          InferenceSpecification: {
            Containers: [{ Image: image, ModelDataUrl: { Get: "Steps.Sum.ProcessingOutputConfig.Outputs['sum'].S3Output.S3Uri" } }],
            SupportedContentTypes: ['text/csv'],
            SupportedResponseMIMETypes: ['text/csv'],
          },
          ModelApprovalStatus: 'PendingManualApproval',
        },
      },
    ],
  });
}

describe('local backend with the execution engine', () => {
  const state = tempDir();
  let backend: LocalBackend;
  let c: ReturnType<typeof clients>;

  beforeAll(async () => {
    backend = await startLocalBackend({ stateDir: state.dir, endpointTransitionMs: 50 });
    c = clients(backend.endpoint);
    await c.s3.send(new CreateBucketCommand({ Bucket: 'work' }));
    await c.s3.send(new PutObjectCommand({ Bucket: 'work', Key: 'code/sum.py', Body: SCRIPT }));
    await c.s3.send(new PutObjectCommand({ Bucket: 'work', Key: 'data/numbers.txt', Body: '1\n2\n39\n' }));
    for (const fail of [false, true]) {
      await c.sagemaker.send(
        new CreatePipelineCommand({ PipelineName: fail ? 'sum-fails' : 'sum', PipelineDefinition: definition(fail), RoleArn: 'arn:aws:iam::000000000000:role/R', ClientRequestToken: token(String(fail)) }),
      );
    }
  });
  afterAll(async () => {
    await backend.close();
    state.remove();
  });

  it('serves InvokeEndpoint with the model entry script through the engine model server', async () => {
    const modelDir = tempDir('smpk-model-');
    try {
      mkdirSync(join(modelDir.dir, 'code'));
      writeFileSync(join(modelDir.dir, 'model.json'), JSON.stringify({ weight: 2 }));
      writeFileSync(join(modelDir.dir, 'code', 'inference.py'), INFERENCE);
      await c.s3.send(new PutObjectCommand({ Bucket: 'work', Key: 'model/model.tar.gz', Body: await packTarGz(modelDir.dir) }));
    } finally {
      modelDir.remove();
    }
    await c.sagemaker.send(
      new CreateModelCommand({
        ModelName: 'Weighted',
        PrimaryContainer: { Image: image, ModelDataUrl: 's3://work/model/model.tar.gz', Environment: { SAGEMAKER_PROGRAM: 'inference.py' } },
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/R',
      }),
    );
    await c.sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'weighted',
        ProductionVariants: [{ VariantName: 'Primary', ModelName: 'Weighted', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }],
        DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 50, DestinationS3Uri: 's3://work/capture', CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }] },
      }),
    );
    await c.sagemaker.send(new CreateEndpointCommand({ EndpointName: 'weighted', EndpointConfigName: 'weighted' }));
    await eventually(async () => {
      const d = await c.sagemaker.send(new DescribeEndpointCommand({ EndpointName: 'weighted' }));
      return d.EndpointStatus === 'InService' ? d : undefined;
    });
    const answer = await c.runtime.send(new InvokeEndpointCommand({ EndpointName: 'weighted', Body: '1,2,3', ContentType: 'text/csv', Accept: 'application/json' }));
    expect(JSON.parse(Buffer.from(answer.Body ?? new Uint8Array()).toString('utf8'))).toEqual({ prediction: 12 });
    expect(answer.InvokedProductionVariant).toBe('Primary');
    await c.runtime.send(new InvokeEndpointCommand({ EndpointName: 'weighted', Body: '4', ContentType: 'text/csv', Accept: 'application/json' }));

    // 50 % sampling over two invocations: exactly one capture record, in SageMaker's layout.
    const captured = await c.s3.send(new ListObjectsV2Command({ Bucket: 'work', Prefix: 'capture/weighted/Primary/' }));
    expect(captured.Contents).toHaveLength(1);
    const key = captured.Contents?.[0]?.Key ?? '';
    expect(key).toMatch(/^capture\/weighted\/Primary\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/[\w-]+\.jsonl$/);
    const line = JSON.parse(await (await c.s3.send(new GetObjectCommand({ Bucket: 'work', Key: key }))).Body!.transformToString()) as Record<string, unknown>;
    expect(line['captureData']).toEqual({
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '4', encoding: 'CSV' },
      endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data: '{"prediction": 8.0}', encoding: 'JSON' },
    });
    expect(line['eventVersion']).toBe('0');
    const failed = await c.runtime.send(new InvokeEndpointCommand({ EndpointName: 'weighted', Body: 'not,numbers', ContentType: 'text/csv' })).catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: 'ModelError', $metadata: { httpStatusCode: 424 } });
    expect((failed as Error).message).toContain('Received server error (500) from Primary');
  });

  async function runToEnd(pipeline: string): Promise<{ status: string; failure?: string; steps: PipelineExecutionStep[] }> {
    const { PipelineExecutionArn: arn } = await c.sagemaker.send(new StartPipelineExecutionCommand({ PipelineName: pipeline, ClientRequestToken: token(`t-${pipeline}`) }));
    const done = await eventually(async () => {
      const d = await c.sagemaker.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: arn }));
      return d.PipelineExecutionStatus === 'Executing' ? undefined : d;
    }, 15_000);
    const steps = await c.sagemaker.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: arn }));
    return { status: done.PipelineExecutionStatus ?? '', ...(done.FailureReason === undefined ? {} : { failure: done.FailureReason }), steps: steps.PipelineExecutionSteps ?? [] };
  }

  it('runs a processing step as a local process and stores its output in the local S3', async () => {
    const result = await runToEnd('sum');
    expect(result.status).toBe('Succeeded');
    expect(result.steps.map((s) => [s.StepName, s.StepStatus])).toEqual([
      ['Register', 'Succeeded'],
      ['Sum', 'Succeeded'],
    ]);
    const out = await c.s3.send(new GetObjectCommand({ Bucket: 'work', Key: 'out/sum.txt' }));
    expect(await out.Body?.transformToString()).toBe('42');
    const jobName = result.steps[1]?.Metadata?.ProcessingJob?.Arn?.split('/').pop() ?? '';
    const job = await c.sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: jobName }));
    expect(job.ProcessingJobStatus).toBe('Completed');

    // The package the engine registered is the registry's: listed, described and approved through the API.
    const packages = await c.sagemaker.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'SumModels' }));
    expect(packages.ModelPackageSummaryList?.map((p) => [p.ModelPackageVersion, p.ModelApprovalStatus])).toEqual([[1, 'PendingManualApproval']]);
    const arn = packages.ModelPackageSummaryList?.[0]?.ModelPackageArn;
    expect(arn).toBe(result.steps[0]?.Metadata?.RegisterModel?.Arn);
    await c.sagemaker.send(new UpdateModelPackageCommand({ ModelPackageArn: arn, ModelApprovalStatus: 'Approved', ApprovalDescription: 'local' }));
    const described = await c.sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(described).toMatchObject({ ModelApprovalStatus: 'Approved', ModelPackageGroupName: 'SumModels' });
    expect(described.InferenceSpecification?.Containers?.[0]?.ModelDataUrl).toBe('s3://work/out');
  });

  it('reports a failing job with its reason and serves its log tail through CloudWatch Logs', async () => {
    const result = await runToEnd('sum-fails');
    expect(result.status).toBe('Failed');
    const step = result.steps[0];
    expect(step?.StepStatus).toBe('Failed');
    expect(step?.FailureReason ?? '').not.toBe('');
    const arn = step?.Metadata?.ProcessingJob?.Arn ?? '';
    const job = await c.sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: arn.split('/').pop() ?? '' }));
    expect(job.ProcessingJobStatus).toBe('Failed');
    const logs = new CloudWatchLogsClient({ endpoint: backend.endpoint, region: 'us-east-1', credentials });
    const group = '/aws/sagemaker/ProcessingJobs';
    const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: job.ProcessingJobName }));
    const messages = (filtered.events ?? []).map((e) => e.message);
    expect(messages).toContain('total 42');
    expect(messages.some((m) => m?.includes('ValueError: bad numbers'))).toBe(true);
    // The tail the watch command prints: streams of the job, then their last events.
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: `${job.ProcessingJobName ?? ''}/` }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual([expect.stringMatching(/\/algo-1-\d+$/)]);
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: streams.logStreams?.[0]?.logStreamName, startFromHead: false, limit: 1 }));
    expect(tail.events?.map((e) => e.message)).toEqual([expect.stringContaining('ValueError: bad numbers')]);
    expect(tail.events?.[0]?.timestamp).toBeGreaterThan(1_700_000_000_000);
    // Stream names keep the job name's case; CloudWatch prefixes are case-sensitive, so the
    // lowercased name from a job ARN does not find them (as on AWS).
    const lowered = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: `${arn.split('/').pop() ?? ''}/` }));
    expect(lowered.logStreams).toEqual(job.ProcessingJobName === job.ProcessingJobName?.toLowerCase() ? streams.logStreams : []);
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: '/aws/sagemaker/Nope', logStreamName: 'x' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
