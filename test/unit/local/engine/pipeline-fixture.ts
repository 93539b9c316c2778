/** A small end-to-end pipeline (preprocess → train → evaluate → condition → register | fail) with stdlib python scripts. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packTarGz } from '../../../../src/local/engine/tar.js';
import type { JsonObject } from '../../../../src/local/engine/ports.js';
import type { MemoryObjects } from './fakes.js';

export const BUCKET = 'smpk-test';

const PREPROCESS = `
import argparse, csv, os
p = argparse.ArgumentParser(); p.add_argument('--input'); p.add_argument('--output'); a = p.parse_args()
rows = list(csv.reader(open(os.path.join(a.input, 'raw.csv'))))
with open(os.path.join(a.output, 'train.csv'), 'w') as f:
    f.write('\\n'.join(','.join(r) for r in rows[1:]))
print('preprocessed', len(rows) - 1, 'rows')
`;

const TRAIN = `
import argparse, json, os
p = argparse.ArgumentParser()
p.add_argument('--epochs', type=int)
p.add_argument('--optimizer')
p.add_argument('--model-dir', default=os.environ['SM_MODEL_DIR'])
p.add_argument('--train', default=os.environ['SM_CHANNEL_TRAIN'])
a, _ = p.parse_known_args()
rows = open(os.path.join(a.train, 'train.csv')).read().split()
hps_file = json.load(open(os.path.join(os.environ['SM_INPUT_CONFIG_DIR'], 'hyperparameters.json')))
with open(os.path.join(a.model_dir, 'model.json'), 'w') as f:
    json.dump({'rows': len(rows), 'epochs': a.epochs, 'optimizer': a.optimizer, 'sm_hps': json.loads(os.environ['SM_HPS']), 'hp_file': hps_file, 'hp_env': os.environ['SM_HP_EPOCHS']}, f)
print(f'epoch {a.epochs}: train_loss={0.5 / a.epochs:.3f};')
`;

const EVALUATE = `
import argparse, json, os, tarfile
p = argparse.ArgumentParser(); p.add_argument('--model'); p.add_argument('--out'); a = p.parse_args()
with tarfile.open(os.path.join(a.model, 'model.tar.gz')) as t:
    model = json.load(t.extractfile('model.json'))
report = {'metrics': {'accuracy': {'value': float(os.environ['ACCURACY'])}}, 'rows': model['rows']}
with open(os.path.join(a.out, 'evaluation.json'), 'w') as f:
    json.dump(report, f)
print('accuracy', report['metrics']['accuracy']['value'])
`;

/** Uploads the scripts and data, returns a cleanup for the temp code dir. */
export async function stageFixture(objects: MemoryObjects): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smpk-fixture-'));
  writeFileSync(path.join(dir, 'train.py'), TRAIN);
  objects.putText(`s3://${BUCKET}/code/preprocess.py`, PREPROCESS);
  objects.putText(`s3://${BUCKET}/code/evaluate.py`, EVALUATE);
  objects.putText(`s3://${BUCKET}/data/raw.csv`, 'a,b\n1,2\n3,4\n5,6\n');
  await objects.put(BUCKET, 'code/sourcedir.tar.gz', await packTarGz(dir));
  return () => rmSync(dir, { recursive: true, force: true });
}

const join = (...values: unknown[]): JsonObject => ({ 'Std:Join': { On: '/', Values: values } }) as JsonObject;

/** A processing step running `python3 <script>` with the given arguments, inputs and outputs. */
export function processingStep(
  name: string,
  script: string,
  options: { args?: unknown[]; inputs?: unknown[]; outputs?: unknown[]; env?: JsonObject; extra?: JsonObject } = {},
): JsonObject {
  return {
    Name: name,
    Type: 'Processing',
    Arguments: {
      ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 30 } },
      AppSpecification: {
        ImageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
        ContainerEntrypoint: ['python3', `/opt/ml/processing/input/code/${path.posix.basename(script)}`],
        ...(options.args ? { ContainerArguments: options.args } : {}),
      },
      RoleArn: 'arn:aws:iam::111122223333:role/SageMakerRole',
      ProcessingInputs: [
        ...(options.inputs ?? []),
        { InputName: 'code', AppManaged: false, S3Input: { S3Uri: script, LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' } },
      ],
      ...(options.outputs ? { ProcessingOutputConfig: { Outputs: options.outputs } } : {}),
      ...(options.env ? { Environment: options.env } : {}),
    },
    ...(options.extra ?? {}),
  } as JsonObject;
}

/** The whole flow; `accuracy` is what the evaluation script reports. */
export function flowDefinition(accuracy: string): JsonObject {
  return {
    Version: '2020-12-01',
    Metadata: {},
    Parameters: [
      { Name: 'InputData', Type: 'String', DefaultValue: `s3://${BUCKET}/data` },
      { Name: 'MinAccuracy', Type: 'Float', DefaultValue: 0.7 },
      { Name: 'Epochs', Type: 'Integer', DefaultValue: 2 },
    ],
    PipelineExperimentConfig: { ExperimentName: { Get: 'Execution.PipelineName' }, TrialName: { Get: 'Execution.PipelineExecutionId' } },
    Steps: [
      processingStep('Preprocess', `s3://${BUCKET}/code/preprocess.py`, {
        args: ['--input', '/opt/ml/processing/input/data', '--output', '/opt/ml/processing/train'],
        inputs: [{ InputName: 'input-1', AppManaged: false, S3Input: { S3Uri: { Get: 'Parameters.InputData' }, LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix', S3InputMode: 'File' } }],
        outputs: [{ OutputName: 'train', AppManaged: false, S3Output: { S3Uri: join(`s3://${BUCKET}`, { Get: 'Execution.PipelineExecutionId' }, 'train'), LocalPath: '/opt/ml/processing/train', S3UploadMode: 'EndOfJob' } }],
      }),
      {
        Name: 'Train',
        Type: 'Training',
        Arguments: {
          AlgorithmSpecification: {
            TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
            TrainingInputMode: 'File',
            MetricDefinitions: [{ Name: 'train:loss', Regex: 'train_loss=([0-9\\.]+);' }],
          },
          OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/models` },
          StoppingCondition: { MaxRuntimeInSeconds: 86400 },
          ResourceConfig: { VolumeSizeInGB: 30, InstanceCount: 1, InstanceType: 'ml.m5.large' },
          RoleArn: 'arn:aws:iam::111122223333:role/SageMakerRole',
          InputDataConfig: [
            {
              DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: { Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" }, S3DataDistributionType: 'FullyReplicated' } },
              ContentType: 'text/csv',
              ChannelName: 'train',
            },
          ],
          HyperParameters: {
            epochs: { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.Epochs' }] } },
            optimizer: '"adam"',
            sagemaker_submit_directory: `"s3://${BUCKET}/code/sourcedir.tar.gz"`,
            sagemaker_program: '"train.py"',
            sagemaker_container_log_level: '20',
            sagemaker_region: '"us-east-1"',
          },
          DebugHookConfig: { S3OutputPath: `s3://${BUCKET}/models`, CollectionConfigurations: [] },
        },
      },
      processingStep('Evaluate', `s3://${BUCKET}/code/evaluate.py`, {
        args: ['--model', '/opt/ml/processing/model', '--out', '/opt/ml/processing/evaluation'],
        inputs: [{ InputName: 'model', AppManaged: false, S3Input: { S3Uri: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' }, LocalPath: '/opt/ml/processing/model', S3DataType: 'S3Prefix', S3InputMode: 'File' } }],
        outputs: [{ OutputName: 'evaluation', AppManaged: false, S3Output: { S3Uri: join(`s3://${BUCKET}`, { Get: 'Execution.PipelineExecutionId' }, 'evaluation'), LocalPath: '/opt/ml/processing/evaluation', S3UploadMode: 'EndOfJob' } }],
        env: { ACCURACY: accuracy },
        extra: { PropertyFiles: [{ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' }] },
      }),
      {
        Name: 'CheckAccuracy',
        Type: 'Condition',
        Arguments: {
          Conditions: [
            {
              Type: 'GreaterThanOrEqualTo',
              LeftValue: { 'Std:JsonGet': { PropertyFile: { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' }, Path: 'metrics.accuracy.value' } },
              RightValue: { Get: 'Parameters.MinAccuracy' },
            },
          ],
          IfSteps: [
            {
              Name: 'Register',
              Type: 'RegisterModel',
              Arguments: {
                ModelPackageGroupName: 'smpk-demo',
                InferenceSpecification: {
                  Containers: [{ Image: 'img', Environment: { SAGEMAKER_PROGRAM: 'inference.py' }, ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } }],
                  SupportedContentTypes: ['text/csv'],
                  SupportedResponseMIMETypes: ['text/csv'],
                },
                ModelMetrics: {
                  ModelQuality: {
                    Statistics: {
                      ContentType: 'application/json',
                      S3Uri: { 'Std:Join': { On: '/', Values: [{ Get: "Steps.Evaluate.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri" }, 'evaluation.json'] } },
                    },
                  },
                },
                ModelApprovalStatus: 'PendingManualApproval',
              },
            },
          ],
          ElseSteps: [
            {
              Name: 'AccuracyTooLow',
              Type: 'Fail',
              Arguments: { ErrorMessage: { 'Std:Join': { On: ' ', Values: ['Accuracy below', { Get: 'Parameters.MinAccuracy' }] } } },
            },
          ],
        },
      },
    ],
  } as JsonObject;
}

/** An execution ARN with the given id. */
export function executionArn(id: string, pipeline = 'demo'): string {
  return `arn:aws:sagemaker:us-east-1:111122223333:pipeline/${pipeline}/execution/${id}`;
}

/** A processing step whose entrypoint is `/bin/sh -c <command>`: for scheduling tests, where python's start-up time only slows the suite. */
export function shellStep(name: string, command: string, options: Parameters<typeof processingStep>[2] = {}): JsonObject {
  const step = processingStep(name, `s3://${BUCKET}/code/empty.txt`, options);
  ((step['Arguments'] as JsonObject)['AppSpecification'] as JsonObject)['ContainerEntrypoint'] = ['/bin/sh', '-c', command];
  return step;
}
