/**
 * Processing steps (CreateProcessingJob arguments) as a local process: inputs downloaded into
 * their LocalPath, ContainerEntrypoint + ContainerArguments run with /opt/ml paths mapped into
 * the sandbox, outputs uploaded from their LocalPath to S3Output.S3Uri.
 */
import { mkdir } from 'node:fs/promises';
import { StepFailure } from '../failure.js';
import { list, obj, strings } from '../json.js';
import type { JsonObject } from '../ports.js';
import { runJobProcess } from '../run-process.js';
import { createSandbox, rewriteOptMl } from '../sandbox.js';
import { downloadRequired, uploadDir } from '../transfer.js';
import { sagemakerArn } from '../names.js';
import { epochSeconds, type StepRunner } from './context.js';
import { assertJobSucceeded } from './job-outcome.js';
import { cannotRunLocally } from './unsupported.js';
import { jobEnvironment, localCommand, mapShellScript, missingEntrypointFile } from './commands.js';

/** Runs a Processing step. */
export const runProcessing: StepRunner = async (context) => {
  const { args, ports, jobName } = context;
  const app = obj(args['AppSpecification']);
  const entrypoint = strings(app['ContainerEntrypoint']);
  const image = String(app['ImageUri'] ?? '');
  if (entrypoint.length === 0) {
    throw cannotRunLocally(context.stepName, 'Processing', `image '${image}' has no ContainerEntrypoint, so what it runs is inside the image (a built-in processing container)`);
  }
  const arn = sagemakerArn(context.region, context.accountId, 'processing-job', jobName);
  const started = ports.clock.now();
  const inputs = list(args['ProcessingInputs']);
  const outputs = list(obj(args['ProcessingOutputConfig'])['Outputs']);
  const describe: JsonObject = {
    ProcessingInputs: inputs,
    ...(args['ProcessingOutputConfig'] !== undefined ? { ProcessingOutputConfig: args['ProcessingOutputConfig'] } : {}),
    ProcessingJobName: jobName,
    ProcessingResources: args['ProcessingResources'] ?? {},
    StoppingCondition: args['StoppingCondition'] ?? { MaxRuntimeInSeconds: 86400 },
    AppSpecification: app,
    Environment: args['Environment'] ?? {},
    RoleArn: args['RoleArn'] ?? '',
    ProcessingJobArn: arn,
    ProcessingJobStatus: 'InProgress',
    CreationTime: epochSeconds(started),
    ProcessingStartTime: epochSeconds(started),
    LastModifiedTime: epochSeconds(started),
  };
  await ports.records.putResource('ProcessingJob', jobName, describe);
  context.onCreated({ ProcessingJob: { Arn: arn } });
  const finish = async (status: string, failureReason?: string): Promise<void> => {
    const end = epochSeconds(ports.clock.now());
    Object.assign(describe, { ProcessingJobStatus: status, ProcessingEndTime: end, LastModifiedTime: end }, failureReason ? { FailureReason: failureReason } : {});
    await ports.records.putResource('ProcessingJob', jobName, describe);
  };
  try {
    const sandbox = await createSandbox(ports.workDir, jobName);
    for (const input of inputs) {
      const s3 = obj(input['S3Input']);
      if (input['DatasetDefinition'] !== undefined || s3['S3DataType'] === 'ManifestFile') {
        throw cannotRunLocally(context.stepName, 'Processing', `input '${String(input['InputName'])}' uses a dataset definition or manifest file, which only SageMaker reads`);
      }
      await downloadRequired(ports.objects, String(s3['S3Uri']), sandbox.mapData(String(s3['LocalPath'])));
    }
    for (const output of outputs) await mkdir(sandbox.mapData(String(obj(output['S3Output'])['LocalPath'])), { recursive: true });
    await mkdir(sandbox.map('/opt/ml/output'), { recursive: true });
    const mappedArgv = [...entrypoint, ...strings(app['ContainerArguments'])].map((a) => rewriteOptMl(a, sandbox));
    mappedArgv[0] = localCommand(mappedArgv[0] ?? '', ports.python);
    const missing = missingEntrypointFile(mappedArgv, ports.python, sandbox);
    if (missing?.inImage === true) {
      throw cannotRunLocally(context.stepName, 'Processing', `its entrypoint needs '${missing.path}', a file inside image '${image}' that this machine does not have`);
    }
    if (missing !== undefined) throw new StepFailure(`ClientError: the entrypoint file ${missing.path} does not exist: no ProcessingInput puts it there.`);
    const [command = '', ...rest] = await mapShellScript(mappedArgv, sandbox);
    const env = jobEnvironment(ports.baseEnv, sandbox, obj(args['Environment']));
    const maxRuntime = Number(obj(args['StoppingCondition'])['MaxRuntimeInSeconds'] ?? NaN);
    const result = await runJobProcess({
      command,
      args: rest,
      cwd: sandbox.root,
      env,
      spawn: ports.spawn,
      clock: ports.clock,
      logs: ports.logs,
      logGroup: '/aws/sagemaker/ProcessingJobs',
      logStream: `${jobName}/algo-1-${Math.floor(epochSeconds(started))}`,
      signal: context.signal,
      ...(Number.isFinite(maxRuntime) ? { maxRuntimeMs: maxRuntime * 1000 } : {}),
    });
    await assertJobSucceeded(result, [...entrypoint, ...strings(app['ContainerArguments'])].join(' '), sandbox.map('/opt/ml/output/failure'));
    for (const output of outputs) {
      const s3 = obj(output['S3Output']);
      await uploadDir(ports.objects, sandbox.mapData(String(s3['LocalPath'])), String(s3['S3Uri']));
    }
  } catch (error) {
    const stopped = error instanceof Error && error.name === 'StepStopped';
    await finish(stopped ? 'Stopped' : 'Failed', stopped ? undefined : (error as { reason?: string }).reason ?? String(error));
    throw error;
  }
  await finish('Completed');
  return { properties: describe, metadata: { ProcessingJob: { Arn: arn } } };
};
