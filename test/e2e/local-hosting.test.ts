// Model registry, models, endpoint configs, endpoints, monitoring schedules and InvokeEndpoint.
import {
  CreateDataQualityJobDefinitionCommand,
  CreateEndpointCommand,
  DeleteDataQualityJobDefinitionCommand,
  DescribeDataQualityJobDefinitionCommand,
  DescribeModelQualityJobDefinitionCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreateMonitoringScheduleCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DeleteMonitoringScheduleCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeModelPackageCommand,
  DescribeModelPackageGroupCommand,
  DescribeMonitoringScheduleCommand,
  ListModelPackageGroupsCommand,
  ListModelPackagesCommand,
  ListMonitoringSchedulesCommand,
  UpdateEndpointCommand,
  UpdateModelPackageCommand,
  UpdateMonitoringScheduleCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../src/local/index.js';
import { clients, manualClock, tempDir } from '../unit/local/helpers.js';

const image = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const role = 'arn:aws:iam::000000000000:role/SageMakerRole';

describe('local backend: registry and hosting', () => {
  const state = tempDir();
  const clock = manualClock();
  let backend: LocalBackend;
  let c: ReturnType<typeof clients>;
  let sm: SageMakerClient;

  beforeAll(async () => {
    backend = await startLocalBackend({ stateDir: state.dir, runner: null, clock, endpointTransitionMs: 30_000 });
    c = clients(backend.endpoint);
    sm = c.sagemaker;
    await c.s3.send(new CreateBucketCommand({ Bucket: 'models' }));
    await c.s3.send(new PutObjectCommand({ Bucket: 'models', Key: 'v1/model.tar.gz', Body: 'model-v1' }));
  });
  afterAll(async () => {
    await backend.close();
    state.remove();
  });

  it('registers versioned packages, filters and sorts them, and records approvals', async () => {
    const group = await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'ChurnModels', ModelPackageGroupDescription: 'churn' }));
    expect(group.ModelPackageGroupArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:model-package-group/churnmodels');
    await expect(sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'ChurnModels' }))).rejects.toMatchObject({ name: 'ValidationException' });
    expect((await sm.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'ChurnModels' }))).ModelPackageGroupStatus).toBe('Completed');
    expect((await sm.send(new ListModelPackageGroupsCommand({ NameContains: 'Churn' }))).ModelPackageGroupSummaryList?.map((g) => g.ModelPackageGroupName)).toEqual([
      'ChurnModels',
    ]);

    const arns: string[] = [];
    for (const status of ['Approved', 'PendingManualApproval', 'Approved'] as const) {
      clock.advance(1000);
      const created = await sm.send(
        new CreateModelPackageCommand({
          ModelPackageGroupName: 'ChurnModels',
          ModelApprovalStatus: status,
          InferenceSpecification: { Containers: [{ Image: image, ModelDataUrl: 's3://models/v1/model.tar.gz' }], SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'] },
          ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://models/v1/evaluation.json' } } },
        }),
      );
      arns.push(created.ModelPackageArn ?? '');
    }
    expect(arns).toEqual([1, 2, 3].map((v) => `arn:aws:sagemaker:us-east-1:000000000000:model-package/churnmodels/${v}`));

    // The gate's baseline query: latest Approved package of the group.
    const latestApproved = await sm.send(
      new ListModelPackagesCommand({ ModelPackageGroupName: 'ChurnModels', ModelApprovalStatus: 'Approved', SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 1 }),
    );
    expect(latestApproved.ModelPackageSummaryList?.map((p) => p.ModelPackageVersion)).toEqual([3]);
    expect(latestApproved.NextToken).toBeDefined();
    const ascending = await sm.send(new ListModelPackagesCommand({ ModelPackageGroupName: group.ModelPackageGroupArn }));
    expect(ascending.ModelPackageSummaryList?.map((p) => p.ModelPackageVersion)).toEqual([1, 2, 3]);

    await sm.send(new UpdateModelPackageCommand({ ModelPackageArn: arns[1], ModelApprovalStatus: 'Approved', ApprovalDescription: 'approved by alice in run 7' }));
    const described = await sm.send(new DescribeModelPackageCommand({ ModelPackageName: arns[1] }));
    expect(described).toMatchObject({ ModelApprovalStatus: 'Approved', ApprovalDescription: 'approved by alice in run 7', ModelPackageStatus: 'Completed', ModelPackageVersion: 2 });
    expect(described.InferenceSpecification?.Containers?.[0]?.Image).toBe(image);
    expect(described.LastModifiedTime).toBeInstanceOf(Date);
    await expect(sm.send(new UpdateModelPackageCommand({ ModelPackageArn: arns[1], ModelApprovalStatus: 'Maybe' as 'Approved' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('creates models and configs, answering "Could not find" ValidationExceptions like SageMaker', async () => {
    const model = await sm.send(new CreateModelCommand({ ModelName: 'Churn-v1', PrimaryContainer: { Image: image, ModelDataUrl: 's3://models/v1/model.tar.gz' }, ExecutionRoleArn: role }));
    expect(model.ModelArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:model/churn-v1');
    await expect(sm.send(new CreateModelCommand({ ModelName: 'Churn-v1', PrimaryContainer: { Image: image }, ExecutionRoleArn: role }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect((await sm.send(new DescribeModelCommand({ ModelName: 'Churn-v1' }))).PrimaryContainer?.ModelDataUrl).toBe('s3://models/v1/model.tar.gz');
    for (const call of [
      () => sm.send(new DescribeModelCommand({ ModelName: 'nope' })),
      () => sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'nope' })),
      () => sm.send(new DescribeEndpointCommand({ EndpointName: 'nope' })),
      () => sm.send(new DeleteModelCommand({ ModelName: 'nope' })),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
      expect((error as Error).message).toMatch(/^Could not find (model|endpoint configuration|endpoint) "arn:aws:sagemaker:us-east-1:000000000000:/);
    }
    await expect(
      sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'c-bad', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'nope', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'churn-config-v1',
        ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'Churn-v1', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }],
        DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 20, DestinationS3Uri: 's3://models/capture', CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }] },
      }),
    );
    expect((await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'churn-config-v1' }))).DataCaptureConfig?.InitialSamplingPercentage).toBe(20);
  });

  it('moves endpoints Creating → InService and Updating → InService, and rolls a failed update back', async () => {
    const created = await sm.send(new CreateEndpointCommand({ EndpointName: 'churn', EndpointConfigName: 'churn-config-v1' }));
    expect(created.EndpointArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:endpoint/churn');
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: 'churn' }))).EndpointStatus).toBe('Creating');
    const notReady = await c.runtime.send(new InvokeEndpointCommand({ EndpointName: 'churn', Body: '1,2', ContentType: 'text/csv' })).catch((e: unknown) => e);
    expect(notReady).toMatchObject({ name: 'ValidationError' });
    clock.advance(30_000);
    const live = await sm.send(new DescribeEndpointCommand({ EndpointName: 'churn' }));
    expect(live).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'churn-config-v1' });
    expect(live.ProductionVariants?.[0]).toMatchObject({ VariantName: 'AllTraffic', CurrentInstanceCount: 1, DeployedImages: [{ SpecifiedImage: image }] });
    expect(live.DataCaptureConfig).toMatchObject({ EnableCapture: true, CaptureStatus: 'Started', CurrentSamplingPercentage: 20 });

    // A model whose artifact is missing: the update must fail and roll back.
    await sm.send(new CreateModelCommand({ ModelName: 'churn-v2', PrimaryContainer: { Image: image, ModelDataUrl: 's3://models/v2/model.tar.gz' }, ExecutionRoleArn: role }));
    await sm.send(
      new CreateEndpointConfigCommand({ EndpointConfigName: 'churn-config-v2', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'churn-v2', InstanceType: 'ml.m5.large', InitialInstanceCount: 2 }] }),
    );
    await sm.send(new UpdateEndpointCommand({ EndpointName: 'churn', EndpointConfigName: 'churn-config-v2' }));
    const updating = await sm.send(new DescribeEndpointCommand({ EndpointName: 'churn' }));
    expect(updating).toMatchObject({ EndpointStatus: 'Updating', EndpointConfigName: 'churn-config-v1', PendingDeploymentSummary: { EndpointConfigName: 'churn-config-v2' } });
    await expect(sm.send(new UpdateEndpointCommand({ EndpointName: 'churn', EndpointConfigName: 'churn-config-v2' }))).rejects.toMatchObject({ name: 'ValidationException' });
    clock.advance(30_000);
    const rolledBack = await sm.send(new DescribeEndpointCommand({ EndpointName: 'churn' }));
    expect(rolledBack).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'churn-config-v1' });
    expect(rolledBack.FailureReason).toContain('Failed to download model data(bucket: models, key: v2/model.tar.gz)');
    expect(rolledBack.PendingDeploymentSummary).toBeUndefined();

    // Once the artifact is there, the same update succeeds and clears the failure.
    await c.s3.send(new PutObjectCommand({ Bucket: 'models', Key: 'v2/model.tar.gz', Body: 'model-v2' }));
    await sm.send(new UpdateEndpointCommand({ EndpointName: 'churn', EndpointConfigName: 'churn-config-v2' }));
    clock.advance(30_000);
    const updated = await sm.send(new DescribeEndpointCommand({ EndpointName: 'churn' }));
    expect(updated).toMatchObject({ EndpointStatus: 'InService', EndpointConfigName: 'churn-config-v2' });
    expect(updated.FailureReason).toBeUndefined();
    expect(updated.ProductionVariants?.[0]?.CurrentInstanceCount).toBe(2);
    expect(updated.DataCaptureConfig).toBeUndefined();

    // A create whose model data is missing ends Failed.
    await sm.send(new CreateModelCommand({ ModelName: 'broken', PrimaryContainer: { Image: image, ModelDataUrl: 's3://models/none.tar.gz' }, ExecutionRoleArn: role }));
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'broken', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'broken', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }] }));
    await sm.send(new CreateEndpointCommand({ EndpointName: 'broken', EndpointConfigName: 'broken' }));
    clock.advance(30_000);
    expect(await sm.send(new DescribeEndpointCommand({ EndpointName: 'broken' }))).toMatchObject({ EndpointStatus: 'Failed', FailureReason: expect.stringContaining('none.tar.gz') });
  });

  it('answers InvokeEndpoint for a model whose inference code is inside its image with a ModelError that says so', async () => {
    const error = await c.runtime.send(new InvokeEndpointCommand({ EndpointName: 'churn', Body: '1,2', ContentType: 'text/csv' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ModelError', $metadata: { httpStatusCode: 424 } });
    expect((error as Error).message).toContain('names no SAGEMAKER_PROGRAM entry script');
    const missing = await c.runtime.send(new InvokeEndpointCommand({ EndpointName: 'ghost', Body: '1' })).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'ValidationError', message: 'Endpoint ghost of account 000000000000 not found.' });
  });

  it('manages monitoring schedules: Pending → Scheduled, update, list filters, delete', async () => {
    const config = {
      ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
      MonitoringType: 'DataQuality' as const,
      MonitoringJobDefinition: {
        MonitoringInputs: [{ EndpointInput: { EndpointName: 'churn', LocalPath: '/opt/ml/processing/input' } }],
        MonitoringOutputConfig: { MonitoringOutputs: [{ S3Output: { S3Uri: 's3://models/monitoring', LocalPath: '/opt/ml/processing/output' } }] },
        MonitoringResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large' as const, VolumeSizeInGB: 20 } },
        MonitoringAppSpecification: { ImageUri: image },
        RoleArn: role,
      },
    };
    const created = await sm.send(new CreateMonitoringScheduleCommand({ MonitoringScheduleName: 'churn-data-quality', MonitoringScheduleConfig: config }));
    expect(created.MonitoringScheduleArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:monitoring-schedule/churn-data-quality');
    await expect(sm.send(new CreateMonitoringScheduleCommand({ MonitoringScheduleName: 'churn-data-quality', MonitoringScheduleConfig: config }))).rejects.toMatchObject({
      name: 'ResourceInUse',
    });
    expect((await sm.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: 'churn-data-quality' }))).MonitoringScheduleStatus).toBe('Pending');
    clock.advance(30_000);
    const described = await sm.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: 'churn-data-quality' }));
    expect(described).toMatchObject({ MonitoringScheduleStatus: 'Scheduled', EndpointName: 'churn', MonitoringType: 'DataQuality' });
    await sm.send(
      new UpdateMonitoringScheduleCommand({ MonitoringScheduleName: 'churn-data-quality', MonitoringScheduleConfig: { ...config, ScheduleConfig: { ScheduleExpression: 'cron(0 0 ? * * *)' } } }),
    );
    const listed = await sm.send(new ListMonitoringSchedulesCommand({ EndpointName: 'churn' }));
    expect(listed.MonitoringScheduleSummaries?.map((s) => [s.MonitoringScheduleName, s.MonitoringScheduleStatus])).toEqual([['churn-data-quality', 'Pending']]);
    expect((await sm.send(new ListMonitoringSchedulesCommand({ EndpointName: 'other' }))).MonitoringScheduleSummaries).toEqual([]);
    await expect(sm.send(new UpdateMonitoringScheduleCommand({ MonitoringScheduleName: 'nope', MonitoringScheduleConfig: config }))).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
    await sm.send(new DeleteMonitoringScheduleCommand({ MonitoringScheduleName: 'churn-data-quality' }));
    await expect(sm.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: 'churn-data-quality' }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
  });

  it('records Model Monitor job definitions per kind', async () => {
    const input = {
      JobDefinitionName: 'churn-data-quality',
      DataQualityAppSpecification: { ImageUri: image },
      DataQualityBaselineConfig: { StatisticsResource: { S3Uri: 's3://models/baseline/statistics.json' } },
      DataQualityJobInput: { EndpointInput: { EndpointName: 'churn', LocalPath: '/opt/ml/processing/input' } },
      DataQualityJobOutputConfig: { MonitoringOutputs: [{ S3Output: { S3Uri: 's3://models/monitoring', LocalPath: '/opt/ml/processing/output' } }] },
      JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large' as const, VolumeSizeInGB: 20 } },
      RoleArn: role,
    };
    const created = await sm.send(new CreateDataQualityJobDefinitionCommand(input));
    expect(created.JobDefinitionArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:data-quality-job-definition/churn-data-quality');
    await expect(sm.send(new CreateDataQualityJobDefinitionCommand(input))).rejects.toMatchObject({ name: 'ResourceInUse' });
    const described = await sm.send(new DescribeDataQualityJobDefinitionCommand({ JobDefinitionName: 'churn-data-quality' }));
    expect(described.DataQualityBaselineConfig?.StatisticsResource?.S3Uri).toBe('s3://models/baseline/statistics.json');
    expect(described.CreationTime).toBeInstanceOf(Date);
    // Kinds are separate namespaces.
    await expect(sm.send(new DescribeModelQualityJobDefinitionCommand({ JobDefinitionName: 'churn-data-quality' }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
    await sm.send(new DeleteDataQualityJobDefinitionCommand({ JobDefinitionName: 'churn-data-quality' }));
    await expect(sm.send(new DescribeDataQualityJobDefinitionCommand({ JobDefinitionName: 'churn-data-quality' }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
  });

  it('deletes endpoints, configs and models', async () => {
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'churn' }));
    await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'churn-config-v1' }));
    await sm.send(new DeleteModelCommand({ ModelName: 'Churn-v1' }));
    await expect(sm.send(new DescribeEndpointCommand({ EndpointName: 'churn' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sm.send(new DescribeModelCommand({ ModelName: 'Churn-v1' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
