import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../src/local/engine/engine.js';
import type { JsonObject } from '../../../../src/local/engine/ports.js';
import { packTarGz } from '../../../../src/local/engine/tar.js';
import { createFakePorts } from './fakes.js';
import { BUCKET, executionArn } from './pipeline-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const TRAIN = `
import json, os
json.dump({'offset': 100}, open(os.path.join(os.environ['SM_MODEL_DIR'], 'model.json'), 'w'))
`;
// Only model_fn and predict_fn: input_fn/output_fn come from the harness defaults (text/csv).
const INFERENCE = `
import json, os
def model_fn(model_dir):
    return json.load(open(os.path.join(model_dir, 'model.json')))
def predict_fn(rows, model):
    return [sum(row) + model['offset'] for row in rows]
`;

function definition(env: JsonObject, batch: string): JsonObject {
  return {
    Version: '2020-12-01',
    Parameters: [],
    Steps: [
      {
        Name: 'Train',
        Type: 'Training',
        Arguments: {
          AlgorithmSpecification: { TrainingImage: 'sklearn-image', TrainingInputMode: 'File' },
          OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/models` },
          HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: `"s3://${BUCKET}/code/sourcedir.tar.gz"` },
          InputDataConfig: [],
        },
      },
      {
        Name: 'CreateModel',
        Type: 'Model',
        Arguments: {
          ExecutionRoleArn: 'arn:aws:iam::111122223333:role/R',
          PrimaryContainer: { Image: 'sklearn-image', ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }, Environment: env },
        },
      },
      {
        Name: 'Score',
        Type: 'Transform',
        Arguments: {
          ModelName: { Get: 'Steps.CreateModel.ModelName' },
          BatchStrategy: batch,
          TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/batch` } }, ContentType: 'text/csv', SplitType: 'Line' },
          TransformOutput: { S3OutputPath: `s3://${BUCKET}/scored`, Accept: 'text/csv', AssembleWith: 'Line' },
          TransformResources: { InstanceCount: 1, InstanceType: 'ml.m5.large' },
        },
      },
    ],
  } as JsonObject;
}

async function setup() {
  const ports = createFakePorts();
  cleanups.push(ports.cleanup);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smpk-code-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'train.py'), TRAIN);
  writeFileSync(path.join(dir, 'inference.py'), INFERENCE);
  await ports.objects.put(BUCKET, 'code/sourcedir.tar.gz', await packTarGz(dir));
  ports.objects.putText(`s3://${BUCKET}/batch/part-1.csv`, '1,2\n3,4\n');
  ports.objects.putText(`s3://${BUCKET}/batch/nested/part-2.csv`, '10,20\n');
  return ports;
}

const start = (id: string, def: JsonObject) => ({ definition: def, pipelineName: 'demo', pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo', executionArn: executionArn(id) });

describe('model and transform steps', () => {
  it('creates the model and runs its entry script over the input under the local inference contract', async () => {
    const ports = await setup();
    const env = { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: `s3://${BUCKET}/code/sourcedir.tar.gz` };
    const outcome = await startExecution(start('t1', definition(env, 'SingleRecord')), ports).done;
    expect(outcome).toEqual({ status: 'Succeeded' });
    expect(ports.objects.text(`s3://${BUCKET}/scored/part-1.csv.out`)).toBe('103\n107\n');
    expect(ports.objects.text(`s3://${BUCKET}/scored/nested/part-2.csv.out`)).toBe('130\n');
    const steps = ports.records.steps(executionArn('t1'));
    expect(steps.get('CreateModel')!.Metadata!.Model!.Arn).toMatch(/^arn:aws:sagemaker:us-east-1:111122223333:model\/pipelines-t1-createmodel-/);
    expect(steps.get('Score')!.Metadata!.TransformJob!.Arn).toMatch(/transform-job\/pipelines-t1-score-/);
    const job = [...ports.records.resources.values()].find((r) => r['TransformJobStatus'] !== undefined)!;
    expect(job['TransformJobStatus']).toBe('Completed');
    // The transform found the model the Model step created, through the Get of its ModelName.
    expect(ports.records.resources.has(`Model/${String(job['ModelName'])}`)).toBe(true);
    expect(ports.logs.messages('/aws/sagemaker/TransformJobs')).toContain('transformed part-1.csv: 2 request(s)');
  });

  it('sends all lines in one request with MultiRecord', async () => {
    const ports = await setup();
    const env = { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: `s3://${BUCKET}/code/sourcedir.tar.gz` };
    await startExecution(start('t2', definition(env, 'MultiRecord')), ports).done;
    expect(ports.objects.text(`s3://${BUCKET}/scored/part-1.csv.out`)).toBe('103\n107\n');
    expect(ports.logs.messages('/aws/sagemaker/TransformJobs')).toContain('transformed part-1.csv: 1 request(s)');
  });

  it('fails clearly when the model has no entry script (a built-in algorithm image)', async () => {
    const ports = await setup();
    await startExecution(start('t3', definition({}, 'MultiRecord')), ports).done;
    expect(ports.records.steps(executionArn('t3')).get('Score')!.FailureReason).toBe(
      "Step 'Score' (Transform) cannot run on the local backend: model '" +
        String([...ports.records.resources.values()].find((r) => r['ModelArn'] !== undefined)!['ModelName']) +
        "' (image 'sklearn-image') names no SAGEMAKER_PROGRAM entry script, so its inference code is inside the image. Run it against AWS, or drop the step from local runs.",
    );
  });

  it('serves a model created from a registered package, with DataProcessing filters and join on gzip input', async () => {
    const ports = await setup();
    await ports.objects.put(BUCKET, 'joined/in.csv.gz', gzipSync(Buffer.from('7,1,2\n8,3,4\n')));
    const env = { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: `s3://${BUCKET}/code/sourcedir.tar.gz` };
    const base = definition(env, 'MultiRecord');
    const [train] = base['Steps'] as JsonObject[];
    const steps: JsonObject[] = [
      train!,
      {
        Name: 'Register',
        Type: 'RegisterModel',
        Arguments: {
          ModelPackageGroupName: 'scorers',
          InferenceSpecification: { Containers: [{ Image: 'sklearn-image', ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }, Environment: env }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
          ModelApprovalStatus: 'Approved',
        },
      },
      { Name: 'FromPackage', Type: 'Model', Arguments: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/R', Containers: [{ ModelPackageName: { Get: 'Steps.Register.ModelPackageArn' } }] } },
      {
        Name: 'Join',
        Type: 'Transform',
        Arguments: {
          ModelName: { Get: 'Steps.FromPackage.ModelName' },
          BatchStrategy: 'MultiRecord',
          TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/joined` } }, ContentType: 'text/csv', CompressionType: 'Gzip', SplitType: 'Line' },
          TransformOutput: { S3OutputPath: `s3://${BUCKET}/joined-out`, Accept: 'text/csv', AssembleWith: 'Line' },
          DataProcessing: { InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' },
        },
      },
    ];
    const outcome = await startExecution(start('t4', { Version: '2020-12-01', Steps: steps }), ports).done;
    expect(outcome, [...ports.records.steps(executionArn('t4')).values()].map((x) => x.FailureReason).join('\n')).toEqual({ status: 'Succeeded' });
    // Column 0 (an id) is kept out of the model's input, then joined back with the prediction.
    expect(ports.objects.text(`s3://${BUCKET}/joined-out/in.csv.gz.out`)).toBe('7,103\n8,107\n');
  });
});
