/**
 * Transform steps (CreateTransformJob arguments): the model's entry script run over the input by
 * ../inference_harness.py, which implements the local inference contract documented there.
 */
import { mkdir } from 'node:fs/promises';
import { enginePath } from '../assets.js';
import { StepFailure } from '../failure.js';
import { obj } from '../json.js';
import { sagemakerArn } from '../names.js';
import type { JsonObject } from '../ports.js';
import { runJobProcess } from '../run-process.js';
import { servingContainer } from '../serving-container.js';
import { createSandbox } from '../sandbox.js';
import { downloadRequired, unpackFromS3, uploadDir } from '../transfer.js';
import { jobEnvironment, localCommand } from './commands.js';
import { epochSeconds, type StepRunner } from './context.js';
import { assertJobSucceeded } from './job-outcome.js';
import { cannotRunLocally } from './unsupported.js';

/** Runs a Transform step. */
export const runTransform: StepRunner = async (context) => {
  const { args, ports, jobName } = context;
  const modelName = String(args['ModelName'] ?? '');
  const model = await ports.records.getResource('Model', modelName);
  if (model === undefined) throw new StepFailure(`ClientError: Could not find model "${modelName}".`);
  const serving = await servingContainer(model, ports.records);
  if ('problem' in serving) throw new StepFailure(`ClientError: ${serving.problem}.`);
  const { container } = serving;
  const modelEnv = obj(container['Environment']);
  const program = typeof modelEnv['SAGEMAKER_PROGRAM'] === 'string' ? modelEnv['SAGEMAKER_PROGRAM'] : '';
  if (program === '') {
    throw cannotRunLocally(context.stepName, 'Transform', `model '${modelName}' (image '${String(container['Image'] ?? '')}') names no SAGEMAKER_PROGRAM entry script, so its inference code is inside the image`);
  }
  const processing = obj(args['DataProcessing']);
  const input = obj(args['TransformInput']);
  const source = obj(obj(input['DataSource'])['S3DataSource']);
  const output = obj(args['TransformOutput']);
  const arn = sagemakerArn(context.region, context.accountId, 'transform-job', jobName);
  const started = ports.clock.now();
  const describe: JsonObject = {
    TransformJobName: jobName,
    TransformJobArn: arn,
    TransformJobStatus: 'InProgress',
    ModelName: modelName,
    ...(args['BatchStrategy'] !== undefined ? { BatchStrategy: args['BatchStrategy'] } : {}),
    Environment: args['Environment'] ?? {},
    TransformInput: input,
    TransformOutput: output,
    TransformResources: args['TransformResources'] ?? {},
    ...(args['DataProcessing'] !== undefined ? { DataProcessing: args['DataProcessing'] } : {}),
    CreationTime: epochSeconds(started),
    TransformStartTime: epochSeconds(started),
  };
  await ports.records.putResource('TransformJob', jobName, describe);
  context.onCreated({ TransformJob: { Arn: arn } });
  try {
    const sandbox = await createSandbox(ports.workDir, jobName);
    const modelDir = sandbox.map('/opt/ml/model');
    if (typeof container['ModelDataUrl'] === 'string') await unpackFromS3(ports.objects, container['ModelDataUrl'], modelDir, 'ModelDataUrl');
    const submit = modelEnv['SAGEMAKER_SUBMIT_DIRECTORY'];
    const codeDir = sandbox.map('/opt/ml/model/code');
    // The SDK points SAGEMAKER_SUBMIT_DIRECTORY at S3, or at /opt/ml/model/code after repacking the code into model.tar.gz.
    if (typeof submit === 'string' && submit.startsWith('s3://')) await unpackFromS3(ports.objects, submit, codeDir, 'SAGEMAKER_SUBMIT_DIRECTORY');
    const inputDir = sandbox.map('/opt/ml/transform/input');
    const outputDir = sandbox.map('/opt/ml/transform/output');
    await downloadRequired(ports.objects, String(source['S3Uri']), inputDir);
    await mkdir(outputDir, { recursive: true });
    const harnessArgs = [
      enginePath('inference_harness.py'),
      'transform',
      '--model-dir', modelDir,
      '--code-dir', codeDir,
      '--program', program,
      '--input-dir', inputDir,
      '--output-dir', outputDir,
      '--content-type', String(input['ContentType'] ?? ''),
      '--accept', String(output['Accept'] ?? ''),
      '--split-type', String(input['SplitType'] ?? 'None'),
      '--batch-strategy', String(args['BatchStrategy'] ?? 'MultiRecord'),
      '--assemble-with', String(output['AssembleWith'] ?? 'None'),
      '--compression', String(input['CompressionType'] ?? 'None'),
      '--input-filter', String(processing['InputFilter'] ?? '$'),
      '--output-filter', String(processing['OutputFilter'] ?? '$'),
      '--join-source', String(processing['JoinSource'] ?? 'None'),
    ];
    const env = jobEnvironment(ports.baseEnv, sandbox, { ...modelEnv, ...obj(args['Environment']) }, { SM_MODEL_DIR: modelDir, PYTHONPATH: codeDir });
    const result = await runJobProcess({
      command: localCommand('python3', ports.python),
      args: harnessArgs,
      cwd: codeDir,
      env,
      spawn: ports.spawn,
      clock: ports.clock,
      logs: ports.logs,
      logGroup: '/aws/sagemaker/TransformJobs',
      logStream: `${jobName}/algo-1-${Math.floor(epochSeconds(started))}`,
      signal: context.signal,
    });
    await assertJobSucceeded(result, `inference harness over ${program}`);
    await uploadDir(ports.objects, outputDir, String(output['S3OutputPath']));
  } catch (error) {
    const stopped = error instanceof Error && error.name === 'StepStopped';
    const end = epochSeconds(ports.clock.now());
    Object.assign(describe, { TransformJobStatus: stopped ? 'Stopped' : 'Failed', TransformEndTime: end }, stopped ? {} : { FailureReason: (error as { reason?: string }).reason ?? String(error) });
    await ports.records.putResource('TransformJob', jobName, describe);
    throw error;
  }
  Object.assign(describe, { TransformJobStatus: 'Completed', TransformEndTime: epochSeconds(ports.clock.now()) });
  await ports.records.putResource('TransformJob', jobName, describe);
  return { properties: describe, metadata: { TransformJob: { Arn: arn } } };
};
