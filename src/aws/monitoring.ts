/** Thin typed calls for Model Monitor: quality job definitions and monitoring schedules. */
import {
  CreateDataQualityJobDefinitionCommand,
  CreateModelQualityJobDefinitionCommand,
  CreateMonitoringScheduleCommand,
  DescribeDataQualityJobDefinitionCommand,
  DescribeModelQualityJobDefinitionCommand,
  DescribeMonitoringScheduleCommand,
  UpdateMonitoringScheduleCommand,
  type CreateDataQualityJobDefinitionCommandInput,
  type CreateModelQualityJobDefinitionCommandInput,
  type DescribeMonitoringScheduleCommandOutput,
  type MonitoringScheduleConfig,
} from '@aws-sdk/client-sagemaker';
import { unlessNotFound } from './errors.js';
import type { SageMakerPort } from './sagemaker.js';

export type DataQualityJobDefinitionInput = CreateDataQualityJobDefinitionCommandInput;
export type ModelQualityJobDefinitionInput = CreateModelQualityJobDefinitionCommandInput;
export type ScheduleConfig = MonitoringScheduleConfig;
export type ScheduleDescription = DescribeMonitoringScheduleCommandOutput;

/** DescribeMonitoringSchedule, or undefined when there is none of that name. */
export async function findMonitoringSchedule(client: SageMakerPort, name: string): Promise<ScheduleDescription | undefined> {
  return unlessNotFound('DescribeMonitoringSchedule', () => client.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: name })));
}

/** CreateMonitoringSchedule. */
export async function createMonitoringSchedule(client: SageMakerPort, name: string, config: ScheduleConfig): Promise<void> {
  await client.send(new CreateMonitoringScheduleCommand({ MonitoringScheduleName: name, MonitoringScheduleConfig: config }));
}

/** UpdateMonitoringSchedule. */
export async function updateMonitoringSchedule(client: SageMakerPort, name: string, config: ScheduleConfig): Promise<void> {
  await client.send(new UpdateMonitoringScheduleCommand({ MonitoringScheduleName: name, MonitoringScheduleConfig: config }));
}

/** True when a job definition of that kind and name exists (job definitions cannot be updated, only replaced). */
export async function jobDefinitionExists(client: SageMakerPort, kind: 'DataQuality' | 'ModelQuality', name: string): Promise<boolean> {
  const operation = kind === 'DataQuality' ? 'DescribeDataQualityJobDefinition' : 'DescribeModelQualityJobDefinition';
  const found = await unlessNotFound<unknown>(operation, () =>
    kind === 'DataQuality'
      ? client.send(new DescribeDataQualityJobDefinitionCommand({ JobDefinitionName: name }))
      : client.send(new DescribeModelQualityJobDefinitionCommand({ JobDefinitionName: name })),
  );
  return found !== undefined;
}

/** CreateDataQualityJobDefinition. */
export async function createDataQualityJobDefinition(client: SageMakerPort, input: DataQualityJobDefinitionInput): Promise<void> {
  await client.send(new CreateDataQualityJobDefinitionCommand(input));
}

/** CreateModelQualityJobDefinition. */
export async function createModelQualityJobDefinition(client: SageMakerPort, input: ModelQualityJobDefinitionInput): Promise<void> {
  await client.send(new CreateModelQualityJobDefinitionCommand(input));
}
