import {
  CreateDataQualityJobDefinitionCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelQualityJobDefinitionCommand,
  CreateMonitoringScheduleCommand,
  DescribeDataQualityJobDefinitionCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribeModelQualityJobDefinitionCommand,
  DescribeMonitoringScheduleCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateEndpointCommand,
  UpdateModelPackageCommand,
  UpdateMonitoringScheduleCommand,
  type DescribeEndpointCommandOutput,
  type DescribeModelPackageCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalDescription, sanitizeText } from '../../../src/ops/approve.js';
import { virtualClock } from '../../../src/ops/clock.js';
import { deploymentConfig, endpointConfigBody, modelName } from '../../../src/ops/deploy.js';
import { release, reject, type ReleaseRequest } from '../../../src/ops/release.js';
import { ReleaseInputError, releaseSettings, type ReleaseSettings } from '../../../src/ops/release-settings.js';
import type { PipelineSpec, Release } from '../../../src/spec/types.generated.js';

const sm = mockClient(SageMakerClient);
const rt = mockClient(SageMakerRuntimeClient);
afterEach(() => {
  sm.reset();
  rt.reset();
});

const GROUP = 'abalone-models';
const PKG = `arn:aws:sagemaker:us-east-1:111122223333:model-package/${GROUP}/7`;
const ROLE = 'arn:aws:iam::111122223333:role/sm';
const notFound = (what: string) => Object.assign(new Error(`Could not find ${what}.`), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
const missing = () => Object.assign(new Error('not found'), { name: 'ResourceNotFound', $metadata: { httpStatusCode: 400 } });

const pkg = (status: string, extra: Partial<DescribeModelPackageCommandOutput> = {}): DescribeModelPackageCommandOutput => ({
  $metadata: {},
  ModelPackageArn: PKG,
  ModelPackageGroupName: GROUP,
  ModelPackageVersion: 7,
  ModelPackageStatus: 'Completed',
  ModelApprovalStatus: status as never,
  ModelPackageName: GROUP,
  CreationTime: new Date(0),
  ModelPackageStatusDetails: { ValidationStatuses: [] },
  ...extra,
}) as DescribeModelPackageCommandOutput;

const endpoint = (status: string, config: string, extra: Partial<DescribeEndpointCommandOutput> = {}): DescribeEndpointCommandOutput => ({
  $metadata: {},
  EndpointName: 'abalone',
  EndpointArn: 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/abalone',
  EndpointStatus: status as never,
  EndpointConfigName: config,
  CreationTime: new Date(0),
  LastModifiedTime: new Date(0),
  ProductionVariants: [{ VariantName: 'AllTraffic', CurrentWeight: 1, CurrentInstanceCount: 1 }],
  ...extra,
});

function settings(release: Partial<Release> = {}, extra: Partial<ReleaseSettings> = {}): ReleaseSettings {
  const r = { endpointName: 'abalone', instanceType: 'ml.m5.large', ...release } as Release;
  return { endpointName: 'abalone', modelPackageGroup: GROUP, roleArn: ROLE, release: r, timeoutMinutes: 60, monitoring: [], ...extra };
}

function request(s: ReleaseSettings, extra: Partial<ReleaseRequest> = {}): ReleaseRequest {
  return {
    settings: s,
    region: 'us-east-1',
    approve: true,
    approver: { name: 'alice', source: 'github-environment-approval' },
    runUrl: 'https://github.com/o/r/actions/runs/1/attempts/1',
    intervalMs: 30_000,
    ...extra,
  };
}

const deps = () => ({ sagemaker: new SageMakerClient({ region: 'us-east-1' }), runtime: new SageMakerRuntimeClient({ region: 'us-east-1' }), clock: virtualClock(0), random: () => 0.5 });

/** Model and config do not exist yet; the package is PendingManualApproval and listed as newest. */
function baseMocks(status = 'PendingManualApproval') {
  sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: PKG, ModelPackageStatus: 'Completed', ModelApprovalStatus: status as never, ModelPackageGroupName: GROUP, CreationTime: new Date(0), ModelPackageVersion: 7 }] });
  sm.on(DescribeModelPackageCommand).resolves(pkg(status));
  sm.on(UpdateModelPackageCommand).resolves({ ModelPackageArn: PKG });
  sm.on(DescribeModelCommand).rejects(notFound('model'));
  sm.on(CreateModelCommand).resolves({ ModelArn: 'arn:model' });
  sm.on(DescribeEndpointConfigCommand).rejects(notFound('endpoint configuration'));
  sm.on(CreateEndpointConfigCommand).resolves({ EndpointConfigArn: 'arn:config' });
  rt.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('12.5') as never, ContentType: 'text/csv', $metadata: {} });
}

function configName(): string {
  const input = sm.commandCalls(CreateEndpointConfigCommand)[0]?.args[0].input;
  return input?.EndpointConfigName ?? '';
}

describe('release: create', () => {
  it('approves, creates model, config and endpoint, waits for InService and smoke-tests', async () => {
    baseMocks();
    let polls = 0;
    sm.on(DescribeEndpointCommand).callsFake(() => {
      polls += 1;
      if (polls === 1) throw notFound('endpoint "abalone"');
      return endpoint(polls < 4 ? 'Creating' : 'InService', configName());
    });
    sm.on(CreateEndpointCommand).resolves({ EndpointArn: 'arn:endpoint' });
    const s = settings({ dataCapture: { destinationS3Uri: 's3://b/capture', samplingPercentage: 20, captureModes: ['Input'], kmsKeyId: 'key-1' } });
    s.smokeTest = { payload: new TextEncoder().encode('1,2,3'), source: 'inline payload', contentType: 'text/csv', expectContains: '12' };
    const result = await release(request(s), deps());
    expect(result.outcome).toBe('deployed');
    expect(result.deployment).toBe('created');
    expect(result.transitions).toEqual(['Creating', 'InService']);
    expect(result.smoke?.ok).toBe(true);
    const approval = sm.commandCalls(UpdateModelPackageCommand)[0]?.args[0].input;
    expect(approval?.ModelApprovalStatus).toBe('Approved');
    expect(approval?.ApprovalDescription).toContain('Approved by alice (github-environment-approval)');
    expect(approval?.ApprovalDescription).toContain('https://github.com/o/r/actions/runs/1/attempts/1');
    const model = sm.commandCalls(CreateModelCommand)[0]?.args[0].input;
    expect(model?.Containers).toEqual([{ ModelPackageName: PKG }]);
    expect(model?.ModelName).toMatch(/^abalone-models-v7-[0-9a-f]{8}$/);
    const config = sm.commandCalls(CreateEndpointConfigCommand)[0]?.args[0].input;
    expect(config?.DataCaptureConfig).toEqual({ EnableCapture: true, InitialSamplingPercentage: 20, DestinationS3Uri: 's3://b/capture', CaptureOptions: [{ CaptureMode: 'Input' }], KmsKeyId: 'key-1' });
    expect(config?.ProductionVariants?.[0]).toMatchObject({ InstanceType: 'ml.m5.large', InitialInstanceCount: 1, ModelName: model?.ModelName });
    expect(sm.commandCalls(CreateEndpointCommand)[0]?.args[0].input.EndpointConfigName).toBe(config?.EndpointConfigName);
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  it('serverless config and async inference fields', () => {
    const body = endpointConfigBody({ endpointName: 'e', serverless: { memorySizeInMB: 2048, maxConcurrency: 5, provisionedConcurrency: 1 } } as Release, 'm', []);
    expect(body.ProductionVariants?.[0]).toEqual({ VariantName: 'AllTraffic', ModelName: 'm', ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5, ProvisionedConcurrency: 1 } });
    const asyncBody = endpointConfigBody({ endpointName: 'e', instanceType: 'ml.m5.large', asyncInference: { outputS3Uri: 's3://b/out', failureS3Uri: 's3://b/fail', maxConcurrentInvocationsPerInstance: 4 } } as Release, 'm', []);
    expect(asyncBody.AsyncInferenceConfig).toEqual({ OutputConfig: { S3OutputPath: 's3://b/out', S3FailurePath: 's3://b/fail' }, ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 } });
  });

  it('serverless release verifies without instance counts', async () => {
    baseMocks('Approved');
    let polls = 0;
    sm.on(DescribeEndpointCommand).callsFake(() => {
      polls += 1;
      if (polls === 1) throw notFound('endpoint');
      return endpoint('InService', configName(), { ProductionVariants: [{ VariantName: 'AllTraffic', CurrentWeight: 1, CurrentServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } }] });
    });
    sm.on(CreateEndpointCommand).resolves({});
    const result = await release(request(settings({ instanceType: undefined, serverless: { memorySizeInMB: 2048, maxConcurrency: 5 } } as unknown as Partial<Release>)), deps());
    expect(result.outcome).toBe('deployed');
    expect(sm.commandCalls(CreateEndpointConfigCommand)[0]?.args[0].input.ProductionVariants?.[0]?.ServerlessConfig).toEqual({ MemorySizeInMB: 2048, MaxConcurrency: 5 });
  });
});

describe('release: update', () => {
  it('updates with a blue/green canary policy and rollback alarms', async () => {
    baseMocks();
    let polls = 0;
    sm.on(DescribeEndpointCommand).callsFake(() => {
      polls += 1;
      if (polls === 1) return endpoint('InService', 'abalone-v6-old');
      return endpoint(polls < 3 ? 'Updating' : 'InService', configName());
    });
    sm.on(UpdateEndpointCommand).resolves({});
    const s = settings({ deployment: { blueGreen: { trafficRouting: 'CANARY', canaryPercent: 10, waitIntervalInSeconds: 600, terminationWaitInSeconds: 120 }, autoRollbackAlarms: ['abalone-5xx'] } });
    const result = await release(request(s), deps());
    expect(result.outcome).toBe('deployed');
    expect(result.previousConfigName).toBe('abalone-v6-old');
    const update = sm.commandCalls(UpdateEndpointCommand)[0]?.args[0].input;
    expect(update?.DeploymentConfig).toEqual({
      BlueGreenUpdatePolicy: {
        TrafficRoutingConfiguration: { Type: 'CANARY', WaitIntervalInSeconds: 600, CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 } },
        TerminationWaitInSeconds: 120,
        MaximumExecutionTimeoutInSeconds: 3600,
      },
      AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'abalone-5xx' }] },
    });
  });

  it('LINEAR routing gets a LinearStepSize', () => {
    const d = deploymentConfig({ endpointName: 'e', deployment: { blueGreen: { trafficRouting: 'LINEAR', linearStepPercent: 25 } } } as Release, 5);
    expect(d?.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration).toEqual({ Type: 'LINEAR', WaitIntervalInSeconds: 300, LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 } });
    expect(d?.BlueGreenUpdatePolicy?.MaximumExecutionTimeoutInSeconds).toBe(600);
  });

  it('an update that rolls back is reported, the old config serving', async () => {
    baseMocks();
    const states = [endpoint('InService', 'abalone-v6-old'), endpoint('Updating', 'abalone-v6-old'), endpoint('RollingBack', 'abalone-v6-old'), endpoint('InService', 'abalone-v6-old', { FailureReason: 'Alarm abalone-5xx fired' })];
    sm.on(DescribeEndpointCommand).callsFake(() => states.shift() ?? endpoint('InService', 'abalone-v6-old'));
    sm.on(UpdateEndpointCommand).resolves({});
    const result = await release(request(settings()), deps());
    expect(result.outcome).toBe('rolled-back');
    expect(result.message).toContain('rolled back: Alarm abalone-5xx fired: the previous configuration keeps serving (abalone-v6-old)');
    expect(result.transitions).toEqual(['Updating', 'RollingBack', 'InService']);
    expect(result.servingConfigName).toBe('abalone-v6-old');
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(1);
  });

  it('a failed smoke test rolls back to the previous config', async () => {
    baseMocks();
    let phase: 'before' | 'new' | 'back' = 'before';
    sm.on(DescribeEndpointCommand).callsFake(() => {
      if (phase === 'before') {
        phase = 'new';
        return endpoint('InService', 'abalone-v6-old');
      }
      return phase === 'new' ? endpoint('InService', configName()) : endpoint('InService', 'abalone-v6-old');
    });
    sm.on(UpdateEndpointCommand).callsFake((input: { EndpointConfigName?: string }) => {
      if (input.EndpointConfigName === 'abalone-v6-old') phase = 'back';
      return {};
    });
    rt.on(InvokeEndpointCommand).rejects(Object.assign(new Error('Received server error (500) from model'), { name: 'ModelError', $metadata: { httpStatusCode: 424 } }));
    const s = settings();
    s.smokeTest = { payload: new TextEncoder().encode('x'), source: 'inline payload', contentType: 'text/csv' };
    const result = await release(request(s), deps());
    expect(result.outcome).toBe('rolled-back');
    expect(result.failedAt).toBe('smoke-test');
    expect(result.message).toContain('Rolled back: the previous configuration abalone-v6-old serves again');
    const updates = sm.commandCalls(UpdateEndpointCommand).map((c) => c.args[0].input.EndpointConfigName);
    expect(updates).toEqual([configName(), 'abalone-v6-old']);
    expect(result.servingConfigName).toBe('abalone-v6-old');
  });

  it('a new endpoint that fails its smoke test is left in place and said so', async () => {
    baseMocks();
    let polls = 0;
    sm.on(DescribeEndpointCommand).callsFake(() => (++polls === 1 ? Promise.reject(notFound('endpoint')) : endpoint('InService', configName())));
    sm.on(CreateEndpointCommand).resolves({});
    rt.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('nope') as never, $metadata: {} });
    const s = settings();
    s.smokeTest = { payload: new TextEncoder().encode('x'), source: 'inline payload', contentType: 'text/csv', expectContains: 'predicted_label' };
    const result = await release(request(s), deps());
    expect(result.outcome).toBe('failed');
    expect(result.message).toContain('left in place');
    expect(result.message).toContain('delete-endpoint');
  });

  it('a re-release of the config already serving that fails its smoke test has nothing to roll back to', async () => {
    baseMocks('Approved');
    sm.on(DescribeEndpointConfigCommand).resolves({ EndpointConfigName: 'x', $metadata: {} } as never);
    sm.on(DescribeModelCommand).resolves({ ModelName: 'm', $metadata: {} } as never);
    let current = '';
    sm.on(DescribeEndpointCommand).callsFake(() => endpoint('InService', current));
    const s = settings();
    s.smokeTest = { payload: new TextEncoder().encode('x'), source: 'inline payload', contentType: 'text/csv', expectContains: 'nope' };
    // The config name is content-derived: compute it the way the release will.
    const { endpointConfigName, endpointConfigBody, modelName: name } = await import('../../../src/ops/deploy.js');
    current = endpointConfigName('abalone', 7, endpointConfigBody(s.release, name(PKG, GROUP, 7), []));
    const result = await release(request(s), deps());
    expect(result.deployment).toBe('unchanged');
    expect(result.outcome).toBe('failed');
    expect(result.message).toContain('nothing to roll back to');
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
    expect(sm.commandCalls(CreateEndpointConfigCommand)).toHaveLength(0);
  });

  it('Failed status reports the FailureReason', async () => {
    baseMocks();
    let polls = 0;
    sm.on(DescribeEndpointCommand).callsFake(() => (++polls === 1 ? Promise.reject(notFound('endpoint')) : endpoint('Failed', configName(), { FailureReason: 'Image not found' })));
    sm.on(CreateEndpointCommand).resolves({});
    const result = await release(request(settings()), deps());
    expect(result.outcome).toBe('failed');
    expect(result.message).toContain('Image not found');
  });

  it('the deadline ends the wait with outcome deadline, nothing real waited', async () => {
    baseMocks();
    let polls = 0;
    sm.on(DescribeEndpointCommand).callsFake(() => (++polls === 1 ? endpoint('InService', 'old') : endpoint('Updating', 'old')));
    sm.on(UpdateEndpointCommand).resolves({});
    const d = deps();
    const result = await release(request(settings({}), { settings: settings({}, { timeoutMinutes: 2 }) }), d);
    expect(result.outcome).toBe('deadline');
    expect(result.message).toContain('still Updating');
    expect(d.clock.now()).toBe(120_000);
  });

  it('an endpoint that is not InService is not touched', async () => {
    baseMocks();
    sm.on(DescribeEndpointCommand).resolves(endpoint('Updating', 'old'));
    const result = await release(request(settings()), deps());
    expect(result.outcome).toBe('failed');
    expect(result.message).toContain('is Updating; another deployment or a SageMaker update is in progress');
    expect(result.message).toContain('Nothing was approved or deployed');
    expect(sm.commandCalls(UpdateModelPackageCommand)).toHaveLength(0);
    expect(sm.commandCalls(CreateModelCommand)).toHaveLength(0);
  });
});

describe('release: package and approval', () => {
  it('a Rejected package given by ARN is refused before anything changes', async () => {
    baseMocks();
    sm.on(DescribeModelPackageCommand).resolves(pkg('Rejected', { ApprovalDescription: 'bad metrics' }));
    const result = await release(request(settings(), { modelPackageArn: PKG }), deps());
    expect(result.outcome).toBe('invalid');
    expect(result.message).toContain('Rejected');
    expect(sm.commandCalls(UpdateModelPackageCommand)).toHaveLength(0);
  });

  it('newest Rejected versions are skipped for the newest pending or approved one', async () => {
    baseMocks();
    const v8 = PKG.replace(/7$/, '8');
    sm.on(ListModelPackagesCommand).resolves({
      ModelPackageSummaryList: [
        { ModelPackageArn: v8, ModelPackageStatus: 'Completed', ModelApprovalStatus: 'Rejected', CreationTime: new Date(1), ModelPackageGroupName: GROUP },
        { ModelPackageArn: PKG, ModelPackageStatus: 'Completed', ModelApprovalStatus: 'PendingManualApproval', CreationTime: new Date(0), ModelPackageGroupName: GROUP },
      ],
    });
    sm.on(DescribeEndpointCommand).resolves(endpoint('Updating', 'x'));
    const result = await release(request(settings()), deps());
    expect(result.modelPackage?.arn).toBe(PKG);
    expect(result.modelPackage?.skipped).toEqual([{ arn: v8, reason: 'Rejected' }]);
  });

  it('a pending package is refused with approve=false', async () => {
    baseMocks();
    const result = await release(request(settings(), { approve: false }), deps());
    expect(result.outcome).toBe('invalid');
    expect(result.message).toContain('PendingManualApproval, not Approved');
  });

  it('an Approved package is not re-approved (no-op, recorded)', async () => {
    baseMocks('Approved');
    sm.on(DescribeModelPackageCommand).resolves(pkg('Approved', { ApprovalDescription: 'Approved by bob' }));
    sm.on(DescribeEndpointCommand).rejects(notFound('endpoint'));
    sm.on(CreateEndpointCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const result = await release(request(settings()), deps());
    expect(result.approval?.action).toBe('already-approved');
    expect(result.approval?.previousDescription).toBe('Approved by bob');
    expect(sm.commandCalls(UpdateModelPackageCommand)).toHaveLength(0);
  });

  it('reject records the reason and who', async () => {
    sm.on(DescribeModelPackageCommand).resolves(pkg('PendingManualApproval'));
    sm.on(UpdateModelPackageCommand).resolves({});
    const r = await reject({ arn: PKG, reason: 'drift\u0007 on\nsegment B', approver: { name: 'carol', source: 'gitlab-user' } }, { sagemaker: new SageMakerClient({ region: 'us-east-1' }) });
    expect(r.approval.action).toBe('rejected');
    const input = sm.commandCalls(UpdateModelPackageCommand)[0]?.args[0].input;
    expect(input?.ModelApprovalStatus).toBe('Rejected');
    expect(input?.ApprovalDescription).toBe('Rejected by carol (gitlab-user); reason: drift on segment B; via smpk');
  });

  it('the approval description is sanitised and bounded', () => {
    const evil = `mallory\u202e\u0000\u001b[31m${'x'.repeat(5000)}`;
    const d = approvalDescription({ decision: 'Approved', approver: { name: evil, source: 'flag' }, runUrl: 'https://x/\nrun', reason: 'r'.repeat(5000) });
    expect(d.length).toBeLessThanOrEqual(1024);
    // eslint-disable-next-line no-control-regex
    expect(d).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(sanitizeText('a\u0085b\u2066c', 10)).toBe('a b c');
  });

  it('model names are deterministic, valid and at most 63 characters', () => {
    const long = 'g'.repeat(80);
    const a = modelName(`arn:aws:sagemaker:us-east-1:1:model-package/${long}/12`, long, 12);
    expect(a).toBe(modelName(`arn:aws:sagemaker:us-east-1:1:model-package/${long}/12`, long, 12));
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    expect(modelName('arn:x', 'my_group.v2', 3)).toMatch(/^my-group-v2-v3-[0-9a-f]{8}$/);
  });
});

describe('monitoring', () => {
  const withBaselines = () =>
    pkg('PendingManualApproval', {
      DriftCheckBaselines: { ModelDataQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://b/stats.json' }, Constraints: { ContentType: 'application/json', S3Uri: 's3://b/constraints.json' } } },
      ModelMetrics: { ModelQuality: { Constraints: { ContentType: 'application/json', S3Uri: 's3://b/mq-constraints.json' } } },
    });
  const monitored = (): ReleaseSettings =>
    settings(
      { dataCapture: { destinationS3Uri: 's3://b/capture' } },
      {
        monitoring: [
          { kind: 'DataQuality', baselineStep: 'DataQualityCheck', outputS3Uri: 's3://b/dq', schedule: 'cron(0 * ? * * *)', instanceType: 'ml.m5.xlarge' },
          { kind: 'ModelQuality', baselineStep: 'ModelQualityCheck', outputS3Uri: 's3://b/mq', schedule: 'cron(0 0 ? * * *)', instanceType: 'ml.m5.xlarge', groundTruthS3Uri: 's3://b/gt', problemType: 'BinaryClassification', inferenceAttribute: '0', probabilityAttribute: '1' },
        ],
      },
    );
  beforeEach(() => {
    baseMocks();
    sm.on(DescribeModelPackageCommand).resolves(withBaselines());
    let polls = 0;
    sm.on(DescribeEndpointCommand).callsFake(() => (++polls === 1 ? Promise.reject(notFound('endpoint')) : endpoint('InService', configName())));
    sm.on(CreateEndpointCommand).resolves({});
    sm.on(DescribeDataQualityJobDefinitionCommand).rejects(missing());
    sm.on(DescribeModelQualityJobDefinitionCommand).rejects(missing());
    sm.on(CreateDataQualityJobDefinitionCommand).resolves({});
    sm.on(CreateModelQualityJobDefinitionCommand).resolves({});
  });

  it('creates the schedules with the package baselines and the monitor image', async () => {
    sm.on(DescribeMonitoringScheduleCommand).rejects(missing());
    sm.on(CreateMonitoringScheduleCommand).resolves({});
    const result = await release(request(monitored()), deps());
    expect(result.outcome).toBe('deployed');
    expect(result.monitoring.map((m) => [m.scheduleName, m.action, m.baseline.from])).toEqual([
      ['abalone-data-quality', 'created', 'DriftCheckBaselines.ModelDataQuality'],
      ['abalone-model-quality', 'created', 'ModelMetrics.ModelQuality'],
    ]);
    const dq = sm.commandCalls(CreateDataQualityJobDefinitionCommand)[0]?.args[0].input;
    expect(dq?.DataQualityBaselineConfig).toEqual({ ConstraintsResource: { S3Uri: 's3://b/constraints.json' }, StatisticsResource: { S3Uri: 's3://b/stats.json' } });
    expect(dq?.DataQualityAppSpecification?.ImageUri).toBe('156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer');
    expect(dq?.DataQualityJobInput?.EndpointInput?.EndpointName).toBe('abalone');
    const mq = sm.commandCalls(CreateModelQualityJobDefinitionCommand)[0]?.args[0].input;
    expect(mq?.ModelQualityAppSpecification?.ProblemType).toBe('BinaryClassification');
    expect(mq?.ModelQualityJobInput?.GroundTruthS3Input?.S3Uri).toBe('s3://b/gt');
    expect(mq?.ModelQualityJobInput?.EndpointInput).toMatchObject({ InferenceAttribute: '0', ProbabilityAttribute: '1' });
    const schedules = sm.commandCalls(CreateMonitoringScheduleCommand).map((c) => c.args[0].input);
    expect(schedules[1]?.MonitoringScheduleConfig).toMatchObject({ ScheduleConfig: { ScheduleExpression: 'cron(0 0 ? * * *)' }, MonitoringType: 'ModelQuality', MonitoringJobDefinitionName: mq?.JobDefinitionName });
  });

  it('updates an existing schedule to the new job definition', async () => {
    sm.on(DescribeMonitoringScheduleCommand).resolves({ MonitoringScheduleName: 'x', MonitoringScheduleConfig: { MonitoringJobDefinitionName: 'old-def', MonitoringType: 'DataQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } }, $metadata: {} } as never);
    sm.on(UpdateMonitoringScheduleCommand).resolves({});
    const result = await release(request(monitored()), deps());
    expect(result.monitoring.map((m) => m.action)).toEqual(['updated', 'updated']);
    expect(sm.commandCalls(CreateMonitoringScheduleCommand)).toHaveLength(0);
    expect(sm.commandCalls(UpdateMonitoringScheduleCommand)).toHaveLength(2);
  });

  it('a package without baselines is refused before approval', async () => {
    sm.on(DescribeModelPackageCommand).resolves(pkg('PendingManualApproval'));
    const result = await release(request(monitored()), deps());
    expect(result.outcome).toBe('invalid');
    expect(result.message).toContain('needs a baseline');
    expect(sm.commandCalls(UpdateModelPackageCommand)).toHaveLength(0);
  });
});

describe('release settings', () => {
  const spec = (release: unknown): PipelineSpec =>
    ({
      version: 1,
      pipeline: { name: 'p', roleArn: ROLE },
      steps: [
        { name: 'Register', type: 'register-model', modelPackageGroup: GROUP, model: {} },
        { name: 'DQ', type: 'quality-check', checkType: 'data-quality' },
      ],
      release,
    }) as unknown as PipelineSpec;
  const fs = { cwd: () => '/repo', exists: () => false, isDirectory: () => false, readText: () => '', list: () => [] };
  const read = (release: unknown) => releaseSettings({ spec: spec(release), specFile: 'pipeline-specs/p.yaml', fs, root: '/repo', env: {} });

  it('defaults the group to the register-model step and the role to the pipeline role', () => {
    const s = read({ endpointName: 'e', instanceType: 'ml.m5.large' });
    expect(s.modelPackageGroup).toBe(GROUP);
    expect(s.roleArn).toBe(ROLE);
    expect(s.timeoutMinutes).toBe(60);
  });

  it('monitoring without data capture is a clear error', () => {
    expect(() => read({ endpointName: 'e', instanceType: 'ml.m5.large', monitoring: { dataQuality: { baselineStep: 'DQ', outputS3Uri: 's3://b/o' } } })).toThrow(/no data capture; add release.dataCapture/);
  });

  it('a baseline step that is not a matching quality check is an error', () => {
    expect(() =>
      read({ endpointName: 'e', instanceType: 'ml.m5.large', dataCapture: { destinationS3Uri: 's3://b/c' }, monitoring: { dataQuality: { baselineStep: 'Register', outputS3Uri: 's3://b/o' } } }),
    ).toThrow(ReleaseInputError);
  });

  it('a blue/green policy that cannot finish within timeoutMinutes is an error', () => {
    // LINEAR 25 %: three bakes of 600 s, plus 600 s termination wait = 2400 s > 30 min.
    expect(() =>
      read({ endpointName: 'e', instanceType: 'ml.m5.large', timeoutMinutes: 30, deployment: { blueGreen: { trafficRouting: 'LINEAR', linearStepPercent: 25, waitIntervalInSeconds: 600, terminationWaitInSeconds: 600 } } }),
    ).toThrow(/waits at least 2400 s/);
    expect(read({ endpointName: 'e', instanceType: 'ml.m5.large', timeoutMinutes: 45, deployment: { blueGreen: { trafficRouting: 'CANARY', waitIntervalInSeconds: 600 } } }).timeoutMinutes).toBe(45);
  });

  it('no release section is an error', () => {
    expect(() => read(undefined)).toThrow(/no release: section/);
  });
});
