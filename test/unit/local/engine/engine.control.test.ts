import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startExecution } from '../../../../src/local/engine/engine.js';
import type { JsonObject } from '../../../../src/local/engine/ports.js';
import { createFakePorts } from './fakes.js';
import { BUCKET, executionArn, processingStep, shellStep } from './pipeline-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup(scripts: Record<string, string>) {
  const ports = createFakePorts();
  cleanups.push(ports.cleanup);
  for (const [name, body] of Object.entries({ ...scripts, 'empty.txt': '' })) ports.objects.putText(`s3://${BUCKET}/code/${name}`, body);
  return ports;
}

const definition = (steps: JsonObject[], parameters: JsonObject[] = []): JsonObject => ({ Version: '2020-12-01', Metadata: {}, Parameters: parameters, Steps: steps });
const start = (id: string, steps: JsonObject[], extra: object = {}) => ({
  definition: definition(steps),
  pipelineName: 'demo',
  pipelineArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/demo',
  executionArn: executionArn(id),
  ...extra,
});

describe('failures', () => {
  it('fails the step with the script’s last lines, fails the execution, and runs nothing downstream', async () => {
    const ports = setup({ 'boom.py': "print('loading data')\nraise ValueError('boom: bad column x')\n", 'ok.py': "print('ok')\n" });
    const arn = executionArn('f1');
    const outcome = await startExecution(
      start('f1', [processingStep('Boom', `s3://${BUCKET}/code/boom.py`), processingStep('After', `s3://${BUCKET}/code/ok.py`, { extra: { DependsOn: ['Boom'] } })]),
      ports,
    ).done;
    const step = ports.records.steps(arn).get('Boom')!;
    expect(step.StepStatus).toBe('Failed');
    expect(step.FailureReason).toMatch(/^AlgorithmError: ExitCode 1, command "python3 \/opt\/ml\/processing\/input\/code\/boom.py"\./);
    expect(step.FailureReason).toContain('ValueError: boom: bad column x');
    expect(step.FailureReason).toContain('loading data');
    expect(step.Metadata!.ProcessingJob!.Arn).toContain('processing-job/pipelines-f1-boom-');
    expect(ports.records.steps(arn).has('After')).toBe(false);
    expect(outcome.status).toBe('Failed');
    expect(outcome.failureReason).toMatch(/^Step failure: One or multiple steps failed\. Step 'Boom': AlgorithmError/);
    const job = [...ports.records.resources.values()].find((r) => r['ProcessingJobStatus'] !== undefined)!;
    expect(job['ProcessingJobStatus']).toBe('Failed');
    expect(job['FailureReason']).toBe(step.FailureReason);
  });

  it('uses /opt/ml/output/failure as the reason when the script writes it', async () => {
    const ports = setup({ 'f.py': "import os\nopen(os.environ['SMPK_OPT_ML'] + '/output/failure', 'w').write('label column missing')\nraise SystemExit(3)\n" });
    await startExecution(start('f2', [processingStep('F', `s3://${BUCKET}/code/f.py`)]), ports).done;
    expect(ports.records.steps(executionArn('f2')).get('F')!.FailureReason).toBe(
      'AlgorithmError: ExitCode 3, command "python3 /opt/ml/processing/input/code/f.py".\nErrorMessage "label column missing"',
    );
  });

  it('reports a missing input the way SageMaker does', async () => {
    const ports = setup({ 'ok.py': "print('ok')\n" });
    await startExecution(
      start('f3', [
        processingStep('P', `s3://${BUCKET}/code/ok.py`, {
          inputs: [{ InputName: 'data', S3Input: { S3Uri: `s3://${BUCKET}/nothing-here`, LocalPath: '/opt/ml/processing/input/data', S3DataType: 'S3Prefix' } }],
        }),
      ]),
      ports,
    ).done;
    expect(ports.records.steps(executionArn('f3')).get('P')!.FailureReason).toMatch(/^ClientError: No S3 objects found under S3 URL "s3:\/\/smpk-test\/nothing-here"/);
  });

  it('retries a job killed by the system under a SageMaker.JOB_INTERNAL_ERROR policy, with backoff', async () => {
    const ports = setup({
      'flaky.py': [
        'import os, signal',
        "marker = os.environ['MARKER']",
        'if not os.path.exists(marker):',
        "    open(marker, 'w').write('x')",
        "    print('first attempt dies')",
        '    os.kill(os.getpid(), signal.SIGKILL)',
        "print('second attempt works')",
      ].join('\n'),
    });
    const arn = executionArn('r1');
    const outcome = await startExecution(
      start('r1', [
        processingStep('Flaky', `s3://${BUCKET}/code/flaky.py`, {
          env: { MARKER: `${ports.workDir}/marker` },
          extra: { RetryPolicies: [{ ExceptionType: ['SageMaker.JOB_INTERNAL_ERROR'], IntervalSeconds: 3, BackoffRate: 2.0, MaxAttempts: 2 }] },
        }),
      ]),
      ports,
    ).done;
    expect(outcome.status).toBe('Succeeded');
    const step = ports.records.steps(arn).get('Flaky')!;
    expect(step.AttemptCount).toBe(2);
    expect(ports.clock.sleeps).toContain(3000);
    expect(ports.logs.messages('/aws/sagemaker/ProcessingJobs')).toEqual(expect.arrayContaining(['first attempt dies', 'second attempt works']));
    // Each attempt is its own job, as on SageMaker.
    expect([...ports.records.resources.keys()].filter((k) => k.startsWith('ProcessingJob/'))).toHaveLength(2);
  });

  it('does not retry an algorithm error, and stops after MaxAttempts retries', async () => {
    const ports = setup({});
    const policy = { RetryPolicies: [{ ExceptionType: ['SageMaker.JOB_INTERNAL_ERROR'], IntervalSeconds: 1, BackoffRate: 2.0, MaxAttempts: 2 }] };
    await startExecution(start('r2', [shellStep('Die', 'kill -9 $$', { extra: policy }), shellStep('Err', 'exit 2', { extra: policy })]), ports).done;
    const steps = ports.records.steps(executionArn('r2'));
    expect(steps.get('Die')!.AttemptCount).toBe(3);
    expect(steps.get('Die')!.FailureReason).toMatch(/^InternalServerError: the job's process was killed by SIGKILL/);
    expect(steps.get('Err')!.AttemptCount).toBe(1);
    expect(ports.clock.sleeps.filter((ms) => ms < 60_000).sort()).toEqual([1000, 2000]);
  });
});

describe('faults and limits', () => {
  it('retries a step whose object store call was throttled, under a Step.THROTTLING policy', async () => {
    const ports = setup({});
    const get = ports.objects.get.bind(ports.objects);
    let throttled = 0;
    ports.objects.get = async (bucket, key) => {
      if (throttled === 0) {
        throttled += 1;
        throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
      }
      return get(bucket, key);
    };
    const policy = { RetryPolicies: [{ ExceptionType: ['Step.THROTTLING'], IntervalSeconds: 2, BackoffRate: 1.5, MaxAttempts: 3 }] };
    const outcome = await startExecution(start('t1', [shellStep('S', 'true', { extra: policy })]), ports).done;
    expect(outcome.status).toBe('Succeeded');
    expect(ports.records.steps(executionArn('t1')).get('S')!.AttemptCount).toBe(2);
    expect(ports.clock.sleeps).toContain(2000);
  });

  it('ends a job when its main process exits, even if a background child holds its output open', async () => {
    const ports = setup({});
    const started = Date.now();
    const outcome = await startExecution(start('t3', [shellStep('Bg', 'sleep 30 & echo main done')]), ports).done;
    expect(outcome.status).toBe('Succeeded');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ports.logs.messages('/aws/sagemaker/ProcessingJobs')).toContain('main done');
  });

  it('fails a job that outlives StoppingCondition.MaxRuntimeInSeconds', async () => {
    const ports = setup({});
    const step = shellStep('Slow', 'sleep 30');
    (step['Arguments'] as JsonObject)['StoppingCondition'] = { MaxRuntimeInSeconds: 1 };
    const started = Date.now();
    await startExecution(start('t2', [step]), ports).done;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ports.records.steps(executionArn('t2')).get('Slow')!.FailureReason).toBe(
      'MaxRuntimeExceeded: the job ran longer than StoppingCondition.MaxRuntimeInSeconds and was stopped.',
    );
  });
});

describe('caching', () => {
  it('reuses a successful run with identical arguments in a later execution', async () => {
    const ports = setup({});
    const counter = `${ports.workDir}/counter`;
    const count = 'echo run >> "$COUNTER"; mkdir -p "$SMPK_OPT_ML/processing/out"; echo 1 > "$SMPK_OPT_ML/processing/out/r.txt"';
    const steps = [
      shellStep('Cached', count, {
        env: { COUNTER: counter },
        outputs: [{ OutputName: 'out', S3Output: { S3Uri: `s3://${BUCKET}/cached/out`, LocalPath: '/opt/ml/processing/out', S3UploadMode: 'EndOfJob' } }],
        extra: { CacheConfig: { Enabled: true, ExpireAfter: 'P30D' } },
      }),
      shellStep('Uses', count, {
        env: { COUNTER: counter, FROM: { Get: "Steps.Cached.ProcessingOutputConfig.Outputs['out'].S3Output.S3Uri" } },
      }),
    ];
    const first = await startExecution(start('c1', steps), ports).done;
    const second = await startExecution(start('c2', steps), ports).done;
    expect([first.status, second.status]).toEqual(['Succeeded', 'Succeeded']);
    const before = ports.records.steps(executionArn('c1')).get('Cached')!;
    const hit = ports.records.steps(executionArn('c2')).get('Cached')!;
    expect(before.CacheHitResult).toBeUndefined();
    expect(hit.CacheHitResult).toEqual({ SourcePipelineExecutionArn: executionArn('c1') });
    expect(hit.Metadata).toEqual(before.Metadata);
    // Cached ran once; Uses (no CacheConfig) ran twice, reading the cached step's properties.
    expect(readFileSync(counter, 'utf8')).toBe('run\nrun\nrun\n');
  });

  it('does not reuse a run whose arguments differ or whose entry has expired', async () => {
    const ports = setup({});
    const step = (env: string, expire: string) => shellStep('S', 'true', { env: { V: env }, extra: { CacheConfig: { Enabled: true, ExpireAfter: expire } } });
    await startExecution(start('d1', [step('a', 'P1D')]), ports).done;
    await startExecution(start('d2', [step('b', 'P1D')]), ports).done;
    for (const entry of ports.records.cache.values()) entry.completedAt = new Date(Date.now() - 2 * 3_600_000);
    await startExecution(start('d3', [step('a', 'PT1H')]), ports).done;
    for (const id of ['d2', 'd3']) expect(ports.records.steps(executionArn(id)).get('S')!.CacheHitResult).toBeUndefined();
  });
});

describe('scheduling', () => {
  it('never runs more steps at once than MaxParallelExecutionSteps', async () => {
    const ports = setup({});
    // Every ready step is started before any result is awaited, so the write order is deterministic.
    const steps = ['A', 'B', 'C'].map((n) => shellStep(n, 'true'));
    const arn = executionArn('p1');
    await startExecution(start('p1', steps, { parallelismConfiguration: { MaxParallelExecutionSteps: 2 } }), ports).done;
    let running = 0;
    let peak = 0;
    for (const write of ports.records.stepWrites.get(arn)!) {
      if (write.StepStatus === 'Starting') peak = Math.max(peak, (running += 1));
      if (write.StepStatus === 'Succeeded') running -= 1;
    }
    expect(peak).toBe(2);
    // Without the limit, independent steps run together.
    const free = executionArn('p2');
    await startExecution(start('p2', steps), ports).done;
    running = 0;
    peak = 0;
    for (const write of ports.records.stepWrites.get(free)!) {
      if (write.StepStatus === 'Starting') peak = Math.max(peak, (running += 1));
      if (write.StepStatus === 'Succeeded') running -= 1;
    }
    expect(peak).toBe(3);
  });

  it('orders steps by DependsOn and data references', async () => {
    const ports = setup({});
    const arn = executionArn('o1');
    await startExecution(
      start('o1', [
        shellStep('Last', 'true', { env: { X: { Get: 'Steps.Middle.ProcessingJobName' } } }),
        shellStep('Middle', 'true', { extra: { DependsOn: ['First'] } }),
        shellStep('First', 'true'),
      ]),
      ports,
    ).done;
    const order = ports.records.stepWrites.get(arn)!.filter((w) => w.StepStatus === 'Starting').map((w) => w.StepName);
    expect(order).toEqual(['First', 'Middle', 'Last']);
  });

  it('stop() marks the execution Stopping, kills the running process, and ends Stopped', async () => {
    const ports = setup({ 'long.py': "import os, time\nopen(os.environ['PIDFILE'], 'w').write(str(os.getpid()))\ntime.sleep(30)\n", 'ok.py': "print('ok')\n" });
    const pidFile = `${ports.workDir}/pid`;
    const arn = executionArn('s1');
    const handle = startExecution(
      start('s1', [processingStep('Long', `s3://${BUCKET}/code/long.py`, { env: { PIDFILE: pidFile } }), processingStep('Next', `s3://${BUCKET}/code/ok.py`, { extra: { DependsOn: ['Long'] } })]),
      ports,
    );
    const deadline = Date.now() + 10_000;
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') {
      if (Date.now() > deadline) throw new Error('script did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const started = Date.now();
    const outcome = await handle.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome).toEqual({ status: 'Stopped' });
    expect(await handle.done).toEqual({ status: 'Stopped' });
    expect(ports.records.executionStatuses(arn)).toEqual(['Executing', 'Stopping', 'Stopped']);
    expect(ports.records.transitions(arn, 'Long')).toEqual(['Starting', 'Executing', 'Stopping', 'Stopped']);
    expect(ports.records.steps(arn).has('Next')).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
    const job = [...ports.records.resources.values()].find((r) => r['ProcessingJobStatus'] !== undefined)!;
    expect(job['ProcessingJobStatus']).toBe('Stopped');
  });
});

describe('steps the local backend cannot run', () => {
  it('fails a Tuning step with a message naming the step and the reason', async () => {
    const ports = setup({});
    const outcome = await startExecution(start('u1', [{ Name: 'Tune', Type: 'Tuning', Arguments: {} }]), ports).done;
    expect(ports.records.steps(executionArn('u1')).get('Tune')!.FailureReason).toBe(
      "Step 'Tune' (Tuning) cannot run on the local backend: hyperparameter tuning needs SageMaker. Run it against AWS, or drop the step from local runs.",
    );
    expect(outcome.status).toBe('Failed');
  });

  it('fails a built-in algorithm training step (no script-mode program)', async () => {
    const ports = setup({});
    await startExecution(
      start('u2', [
        {
          Name: 'XGB',
          Type: 'Training',
          Arguments: {
            AlgorithmSpecification: { TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', TrainingInputMode: 'File' },
            HyperParameters: { num_round: '50', objective: 'reg:linear' },
            OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/models` },
          },
        },
      ]),
      ports,
    ).done;
    expect(ports.records.steps(executionArn('u2')).get('XGB')!.FailureReason).toBe(
      "Step 'XGB' (Training) cannot run on the local backend: image '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1' is not run in script mode (no sagemaker_program hyperparameter), so it is a built-in algorithm or custom container that only SageMaker can run. Run it against AWS, or drop the step from local runs.",
    );
  });
});

describe('model registration', () => {
  it('numbers versions per group without collisions when registrations run in parallel', async () => {
    const ports = setup({});
    const register = (name: string, status: string) => ({
      Name: name,
      Type: 'RegisterModel',
      Arguments: { ModelPackageGroupName: 'g', ModelApprovalStatus: status, InferenceSpecification: { Containers: [{ Image: 'img', ModelDataUrl: `s3://${BUCKET}/m.tar.gz` }] } },
    });
    await startExecution(start('m1', [register('A', 'Approved'), register('B', 'PendingManualApproval'), register('C', 'Rejected')]), ports).done;
    const packages = [...ports.records.resources.entries()].filter(([k]) => k.startsWith('ModelPackage/'));
    expect(packages.map(([, p]) => [p['ModelPackageVersion'], p['ModelApprovalStatus']]).sort()).toEqual([
      [1, 'Approved'],
      [2, 'PendingManualApproval'],
      [3, 'Rejected'],
    ]);
    expect(packages.map(([k]) => k).sort()).toEqual([1, 2, 3].map((v) => `ModelPackage/arn:aws:sagemaker:us-east-1:111122223333:model-package/g/${v}`));
  });
});
