/** Thin typed calls for real-time endpoints: models, endpoint configs, endpoints. */
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  UpdateEndpointCommand,
  type CreateEndpointConfigCommandInput,
  type CreateModelCommandInput,
  type DeploymentConfig,
  type DescribeEndpointCommandOutput,
  type Tag,
} from '@aws-sdk/client-sagemaker';
import { unlessNotFound } from './errors.js';
import type { SageMakerPort } from './sagemaker.js';

export type EndpointDescription = DescribeEndpointCommandOutput;
export type ModelInput = CreateModelCommandInput;
export type EndpointConfigInput = CreateEndpointConfigCommandInput;
export type EndpointDeploymentConfig = DeploymentConfig;
export type ResourceTag = Tag;

/** DescribeEndpoint, or undefined when the endpoint does not exist. */
export async function findEndpoint(client: SageMakerPort, name: string): Promise<EndpointDescription | undefined> {
  return unlessNotFound('DescribeEndpoint', () => client.send(new DescribeEndpointCommand({ EndpointName: name })));
}

/** DescribeEndpoint (the endpoint must exist). */
export async function describeEndpoint(client: SageMakerPort, name: string): Promise<EndpointDescription> {
  return client.send(new DescribeEndpointCommand({ EndpointName: name }));
}

/** True when a model of that name exists. */
export async function modelExists(client: SageMakerPort, name: string): Promise<boolean> {
  return (await unlessNotFound('DescribeModel', () => client.send(new DescribeModelCommand({ ModelName: name })))) !== undefined;
}

/** True when an endpoint config of that name exists. */
export async function endpointConfigExists(client: SageMakerPort, name: string): Promise<boolean> {
  return (await unlessNotFound('DescribeEndpointConfig', () => client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })))) !== undefined;
}

/** CreateModel. */
export async function createModel(client: SageMakerPort, input: ModelInput): Promise<void> {
  await client.send(new CreateModelCommand(input));
}

/** CreateEndpointConfig. */
export async function createEndpointConfig(client: SageMakerPort, input: EndpointConfigInput): Promise<void> {
  await client.send(new CreateEndpointConfigCommand(input));
}

/** CreateEndpoint. */
export async function createEndpoint(client: SageMakerPort, name: string, configName: string, tags: Tag[]): Promise<void> {
  await client.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: configName, ...(tags.length ? { Tags: tags } : {}) }));
}

/** UpdateEndpoint to another endpoint config, with an optional deployment policy. */
export async function updateEndpoint(client: SageMakerPort, name: string, configName: string, deployment?: DeploymentConfig): Promise<void> {
  await client.send(
    new UpdateEndpointCommand({ EndpointName: name, EndpointConfigName: configName, ...(deployment ? { DeploymentConfig: deployment } : {}) }),
  );
}
