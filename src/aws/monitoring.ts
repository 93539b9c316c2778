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
import { isNotFound } from './errors.js';
import type { SageMakerPort } from './sagemaker.js';

export type DataQualityJobDefinitionInput = CreateDataQualityJobDefinitionCommandInput;
export type ModelQualityJobDefinitionInput = CreateModelQualityJobDefinitionCommandInput;
export type ScheduleConfig = MonitoringScheduleConfig;
export type ScheduleDescription = DescribeMonitoringScheduleCommandOutput;

/** DescribeMonitoringSchedule, or undefined when there is none of that name. */
export async function findMonitoringSchedule(client: SageMakerPort, name: string): Promise<ScheduleDescription | undefined> {
  try {
    return await client.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: name }));
  } catch (error) {
    if (isNotFound(error, 'DescribeMonitoringSchedule')) return undefined;
    throw error;
  }
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
  try {
    if (kind === 'DataQuality') await client.send(new DescribeDataQualityJobDefinitionCommand({ JobDefinitionName: name }));
    else await client.send(new DescribeModelQualityJobDefinitionCommand({ JobDefinitionName: name }));
    return true;
  } catch (error) {
    if (isNotFound(error, operation)) return false;
    throw error;
  }
}

/** CreateDataQualityJobDefinition. */
export async function createDataQualityJobDefinition(client: SageMakerPort, input: DataQualityJobDefinitionInput): Promise<void> {
  await client.send(new CreateDataQualityJobDefinitionCommand(input));
}

/** CreateModelQualityJobDefinition. */
export async function createModelQualityJobDefinition(client: SageMakerPort, input: ModelQualityJobDefinitionInput): Promise<void> {
  await client.send(new CreateModelQualityJobDefinitionCommand(input));
}
