/**
 * Training steps in script mode, the way the SageMaker training toolkit runs them: channels in
 * /opt/ml/input/data/<channel>, config files in /opt/ml/input/config, the submit directory
 * unpacked into /opt/ml/code, `sagemaker_program` run with the hyperparameters as `--key value`,
 * then /opt/ml/model packed to <S3OutputPath>/<job>/output/model.tar.gz.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sagemakerArn } from '../names.js';
import { list, obj } from '../json.js';
import type { JsonObject, JsonValue } from '../ports.js';
import { runJobProcess } from '../run-process.js';
import { joinS3, parseS3Uri } from '../s3-uri.js';
import { createSandbox, type Sandbox } from '../sandbox.js';
import { listFiles, packTarGz } from '../tar.js';
import { downloadRequired, unpackFromS3 } from '../transfer.js';
import { jobEnvironment, localCommand } from './commands.js';
import { epochSeconds, type StepRunContext, type StepRunner } from './context.js';
import { assertJobSucceeded } from './job-outcome.js';
import { cannotRunLocally } from './unsupported.js';

/** Decodes the SDK's JSON-encoded hyperparameter values (`"\"train.py\""` → `train.py`, `"10"` → 10). */
export function decodeHyperparameters(raw: JsonObject): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      out[key] = value;
      continue;
    }
    try {
      out[key] = JSON.parse(value) as JsonValue;
    } catch {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Command-line arguments as the training toolkit builds them (`mapping.to_cmd_args`): keys sorted,
 * `--key` (`-k` for one letter), values as Python's str() would print them — numbers as the SDK
 * spelled them, booleans True/False, maps as k=v,k2=v2.
 */
export function hyperparameterArgs(hps: Record<string, JsonValue>, raw: JsonObject = {}): string[] {
  return Object.keys(hps)
    .sort()
    .flatMap((key) => [key.length > 1 ? `--${key}` : `-${key}`, pythonStr(hps[key] ?? null, raw[key])]);
}

function pythonStr(value: JsonValue, raw: JsonValue | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  if (typeof value === 'number') return typeof raw === 'string' ? raw.trim() : String(value);
  if (!Array.isArray(value)) return Object.keys(value).sort().map((k) => `${k}=${pythonStr(value[k] ?? null, undefined)}`).join(',');
  return JSON.stringify(value);
}

/** Runs a Training step. */
export const runTraining: StepRunner = async (context) => {
  const { args, ports, jobName } = context;
  const algorithm = obj(args['AlgorithmSpecification']);
  const image = String(algorithm['TrainingImage'] ?? algorithm['AlgorithmName'] ?? '');
  const rawHps = obj(args['HyperParameters']);
  const decoded = decodeHyperparameters(rawHps);
  const program = decoded['sagemaker_program'];
  const submitDir = decoded['sagemaker_submit_directory'];
  if (typeof program !== 'string' || program === '') {
    throw cannotRunLocally(context.stepName, 'Training', `image '${image}' is not run in script mode (no sagemaker_program hyperparameter), so it is a built-in algorithm or custom container that only SageMaker can run`);
  }
  if (typeof submitDir !== 'string' || !submitDir.startsWith('s3://')) {
    throw cannotRunLocally(context.stepName, 'Training', `the training code is not in S3 (sagemaker_submit_directory is ${JSON.stringify(submitDir ?? null)}), so it must be inside image '${image}'`);
  }
  const channels = list(args['InputDataConfig']);
  const arn = sagemakerArn(context.region, context.accountId, 'training-job', jobName);
  const started = ports.clock.now();
  const outputPath = String(obj(args['OutputDataConfig'])['S3OutputPath'] ?? '');
  const describe: JsonObject = {
    TrainingJobName: jobName,
    TrainingJobArn: arn,
    ModelArtifacts: { S3ModelArtifacts: joinS3(outputPath, jobName, 'output', 'model.tar.gz') },
    TrainingJobStatus: 'InProgress',
    SecondaryStatus: 'Training',
    HyperParameters: rawHps,
    AlgorithmSpecification: algorithm,
    RoleArn: args['RoleArn'] ?? '',
    InputDataConfig: channels,
    OutputDataConfig: args['OutputDataConfig'] ?? {},
    ResourceConfig: args['ResourceConfig'] ?? {},
    StoppingCondition: args['StoppingCondition'] ?? { MaxRuntimeInSeconds: 86400 },
    Environment: args['Environment'] ?? {},
    CreationTime: epochSeconds(started),
    TrainingStartTime: epochSeconds(started),
    LastModifiedTime: epochSeconds(started),
    EnableNetworkIsolation: false,
    EnableInterContainerTrafficEncryption: false,
    EnableManagedSpotTraining: false,
  };
  await ports.records.putResource('TrainingJob', jobName, describe);
  context.onCreated({ TrainingJob: { Arn: arn } });
  const metrics = new Map<string, { value: number; at: Date }>();
  try {
    const sandbox = await createSandbox(ports.workDir, jobName);
    const code = sandbox.map('/opt/ml/code');
    await unpackFromS3(ports.objects, submitDir, code, 'sagemaker_submit_directory');
    const channelNames: string[] = [];
    for (const channel of channels) {
      const name = String(channel['ChannelName']);
      const s3 = obj(obj(channel['DataSource'])['S3DataSource']);
      if (s3['S3Uri'] === undefined || s3['S3DataType'] === 'ManifestFile' || s3['S3DataType'] === 'AugmentedManifestFile') {
        throw cannotRunLocally(context.stepName, 'Training', `channel '${name}' is not an S3 prefix (file systems and manifests are read only by SageMaker)`);
      }
      await downloadRequired(ports.objects, String(s3['S3Uri']), sandbox.map(`/opt/ml/input/data/${name}`));
      channelNames.push(name);
    }
    const userHps = Object.fromEntries(Object.entries(decoded).filter(([k]) => !k.startsWith('sagemaker_')));
    const env = await writeContract(context, sandbox, { rawHps, userHps, channels, channelNames, program, submitDir });
    const isPython = program.endsWith('.py');
    const command = isPython ? localCommand('python3', ports.python) : '/bin/sh';
    const argv = [program, ...hyperparameterArgs(userHps, rawHps)];
    const definitions = list(algorithm['MetricDefinitions']).flatMap((d) => {
      try {
        return [{ name: String(d['Name']), regex: new RegExp(String(d['Regex'])) }];
      } catch {
        return [];
      }
    });
    const maxRuntime = Number(obj(args['StoppingCondition'])['MaxRuntimeInSeconds'] ?? NaN);
    const result = await runJobProcess({
      command,
      args: argv,
      cwd: code,
      env,
      spawn: ports.spawn,
      clock: ports.clock,
      logs: ports.logs,
      logGroup: '/aws/sagemaker/TrainingJobs',
      logStream: `${jobName}/algo-1-${Math.floor(epochSeconds(started))}`,
      signal: context.signal,
      onLine: (line) => {
        for (const d of definitions) {
          const value = Number(d.regex.exec(line)?.[1]);
          if (Number.isFinite(value)) metrics.set(d.name, { value, at: ports.clock.now() });
        }
      },
      ...(Number.isFinite(maxRuntime) ? { maxRuntimeMs: maxRuntime * 1000 } : {}),
    });
    await assertJobSucceeded(result, `${isPython ? 'python3' : '/bin/sh'} ${argv.join(' ')}`, sandbox.map('/opt/ml/output/failure'));
    const model = parseS3Uri(joinS3(outputPath, jobName, 'output', 'model.tar.gz'));
    await ports.objects.put(model.bucket, model.key, await packTarGz(sandbox.map('/opt/ml/model')));
    if ((await listFiles(sandbox.map('/opt/ml/output/data'))).length > 0) {
      const data = parseS3Uri(joinS3(outputPath, jobName, 'output', 'output.tar.gz'));
      await ports.objects.put(data.bucket, data.key, await packTarGz(sandbox.map('/opt/ml/output/data')));
    }
  } catch (error) {
    const stopped = error instanceof Error && error.name === 'StepStopped';
    await finish(stopped ? 'Stopped' : 'Failed', stopped ? undefined : ((error as { reason?: string }).reason ?? String(error)));
    throw error;
  }
  await finish('Completed');
  return { properties: describe, metadata: { TrainingJob: { Arn: arn } } };

  async function finish(status: string, failureReason?: string): Promise<void> {
    const endDate = ports.clock.now();
    const end = epochSeconds(endDate);
    const seconds = Math.max(1, Math.round(end - epochSeconds(started)));
    Object.assign(describe, {
      TrainingJobStatus: status,
      SecondaryStatus: status,
      TrainingEndTime: end,
      LastModifiedTime: end,
      TrainingTimeInSeconds: seconds,
      BillableTimeInSeconds: seconds,
      FinalMetricDataList: [...metrics].map(([name, m]) => ({ MetricName: name, Value: m.value, Timestamp: epochSeconds(m.at) })),
      ...(failureReason ? { FailureReason: failureReason } : {}),
    });
    await ports.records.putResource('TrainingJob', jobName, describe);
  }
};

/** Writes /opt/ml/input/config/*.json and returns the SM_* environment of the training toolkit. */
async function writeContract(
  context: StepRunContext,
  sandbox: Sandbox,
  job: { rawHps: JsonObject; userHps: Record<string, JsonValue>; channels: JsonObject[]; channelNames: string[]; program: string; submitDir: string },
): Promise<Record<string, string>> {
  const config = sandbox.map('/opt/ml/input/config');
  await mkdir(config, { recursive: true });
  for (const dir of ['/opt/ml/model', '/opt/ml/output/data', '/opt/ml/output/intermediate', '/opt/ml/checkpoints']) {
    await mkdir(sandbox.map(dir), { recursive: true });
  }
  const resourceConfig = { current_host: 'algo-1', hosts: ['algo-1'], network_interface_name: 'eth0' };
  const inputDataConfig = Object.fromEntries(
    job.channels.map((c) => [String(c['ChannelName']), { TrainingInputMode: c['InputMode'] ?? 'File', S3DistributionType: 'FullyReplicated', RecordWrapperType: 'None' }]),
  );
  await writeFile(path.join(config, 'hyperparameters.json'), JSON.stringify(job.rawHps));
  await writeFile(path.join(config, 'resourceconfig.json'), JSON.stringify(resourceConfig));
  await writeFile(path.join(config, 'inputdataconfig.json'), JSON.stringify(inputDataConfig));
  const channelDirs = Object.fromEntries(job.channelNames.map((n) => [n, sandbox.map(`/opt/ml/input/data/${n}`)]));
  const moduleName = job.program.replace(/\.py$/, '');
  const userArgs = hyperparameterArgs(job.userHps, job.rawHps);
  const sm: Record<string, string> = {
    SM_MODEL_DIR: sandbox.map('/opt/ml/model'),
    SM_OUTPUT_DIR: sandbox.map('/opt/ml/output'),
    SM_OUTPUT_DATA_DIR: sandbox.map('/opt/ml/output/data'),
    SM_OUTPUT_INTERMEDIATE_DIR: sandbox.map('/opt/ml/output/intermediate'),
    SM_INPUT_DIR: sandbox.map('/opt/ml/input'),
    SM_INPUT_CONFIG_DIR: config,
    SM_CHECKPOINT_DIR: sandbox.map('/opt/ml/checkpoints'),
    SM_CHANNELS: JSON.stringify(job.channelNames),
    SM_HPS: JSON.stringify(job.userHps),
    SM_HOSTS: JSON.stringify(resourceConfig.hosts),
    SM_CURRENT_HOST: 'algo-1',
    SM_NUM_GPUS: '0',
    SM_NUM_CPUS: String(os.availableParallelism()),
    SM_NETWORK_INTERFACE_NAME: 'eth0',
    SM_LOG_LEVEL: '20',
    SM_USER_ENTRY_POINT: job.program,
    SM_MODULE_NAME: moduleName,
    SM_MODULE_DIR: job.submitDir,
    SM_USER_ARGS: JSON.stringify(userArgs),
    SM_RESOURCE_CONFIG: JSON.stringify(resourceConfig),
    SM_INPUT_DATA_CONFIG: JSON.stringify(inputDataConfig),
    SM_TRAINING_ENV: JSON.stringify({
      job_name: context.jobName,
      model_dir: sandbox.map('/opt/ml/model'),
      output_data_dir: sandbox.map('/opt/ml/output/data'),
      channel_input_dirs: channelDirs,
      hyperparameters: job.userHps,
      current_host: 'algo-1',
      hosts: ['algo-1'],
      module_name: moduleName,
      user_entry_point: job.program,
      num_gpus: 0,
    }),
    TRAINING_JOB_NAME: context.jobName,
    TRAINING_JOB_ARN: sagemakerArn(context.region, context.accountId, 'training-job', context.jobName),
    PYTHONPATH: sandbox.map('/opt/ml/code'),
  };
  for (const [name, dir] of Object.entries(channelDirs)) sm[`SM_CHANNEL_${name.toUpperCase()}`] = dir;
  for (const [key, value] of Object.entries(job.userHps)) sm[`SM_HP_${key.toUpperCase()}`] = typeof value === 'string' ? value : JSON.stringify(value);
  return jobEnvironment(context.ports.baseEnv, sandbox, obj(context.args['Environment']), sm);
}
