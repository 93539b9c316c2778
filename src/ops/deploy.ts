/**
 * Deploying a model package to an endpoint: the model, the endpoint config and the create or
 * update call. Names are derived from the package and the config content, so a re-run of the same
 * release finds what the first run created instead of failing on "already exists".
 */
import { createHash } from 'node:crypto';
import {
  createEndpoint,
  createEndpointConfig,
  createModel,
  endpointConfigExists,
  modelExists,
  updateEndpoint,
  type EndpointConfigInput,
  type EndpointDeploymentConfig,
  type ResourceTag,
} from '../aws/endpoints.js';
import type { SageMakerPort } from '../aws/sagemaker.js';
import type { Release } from '../spec/types.generated.js';

const NAME_MAX = 63;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** Letters, digits and single hyphens, starting and ending alphanumeric, at most `max` characters. */
export function resourceNamePart(text: string, max: number): string {
  const cleaned = text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+/, '').slice(0, max).replace(/-+$/, '');
  return cleaned || 'model';
}

/**
 * ModelName for a package: `<group>-v<version>-<hash of the package ARN>` (≤ 63 characters,
 * SageMaker's `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`). The hash keeps names from two groups that
 * share a long prefix apart.
 */
export function modelName(packageArn: string, group: string | undefined, version: number | undefined): string {
  const suffix = `-v${version ?? 0}-${shortHash(packageArn)}`;
  return `${resourceNamePart(group ?? 'model', NAME_MAX - suffix.length)}${suffix}`;
}

/** EndpointConfigName: `<endpoint>-v<version>-<hash of the config content>` (≤ 63 characters). */
export function endpointConfigName(endpointName: string, version: number | undefined, config: Omit<EndpointConfigInput, 'EndpointConfigName'>): string {
  // Tags (which name the CI run) are left out: the same content keeps the same name on a re-run.
  const { Tags: _tags, ...content } = config;
  const suffix = `-v${version ?? 0}-${shortHash(JSON.stringify(content))}`;
  return `${resourceNamePart(endpointName, NAME_MAX - suffix.length)}${suffix}`;
}

/** The endpoint config the release section describes (without its name). */
export function endpointConfigBody(release: Release, model: string, tags: ResourceTag[]): Omit<EndpointConfigInput, 'EndpointConfigName'> {
  const variant = release.serverless
    ? {
        VariantName: 'AllTraffic',
        ModelName: model,
        ServerlessConfig: {
          MemorySizeInMB: release.serverless.memorySizeInMB,
          MaxConcurrency: release.serverless.maxConcurrency,
          ...(release.serverless.provisionedConcurrency !== undefined ? { ProvisionedConcurrency: release.serverless.provisionedConcurrency } : {}),
        },
      }
    : {
        VariantName: 'AllTraffic',
        ModelName: model,
        InstanceType: release.instanceType as string,
        InitialInstanceCount: release.initialInstanceCount ?? 1,
        InitialVariantWeight: 1,
      };
  const capture = release.dataCapture;
  const asyncInference = release.asyncInference;
  return {
    ProductionVariants: [variant as NonNullable<EndpointConfigInput['ProductionVariants']>[number]],
    ...(capture
      ? {
          DataCaptureConfig: {
            EnableCapture: capture.enabled ?? true,
            InitialSamplingPercentage: capture.samplingPercentage ?? 100,
            DestinationS3Uri: capture.destinationS3Uri,
            CaptureOptions: (capture.captureModes ?? ['Input', 'Output']).map((mode) => ({ CaptureMode: mode })),
            ...(capture.kmsKeyId ? { KmsKeyId: capture.kmsKeyId } : {}),
          },
        }
      : {}),
    ...(asyncInference
      ? {
          AsyncInferenceConfig: {
            OutputConfig: { S3OutputPath: asyncInference.outputS3Uri, ...(asyncInference.failureS3Uri ? { S3FailurePath: asyncInference.failureS3Uri } : {}) },
            ...(asyncInference.maxConcurrentInvocationsPerInstance !== undefined
              ? { ClientConfig: { MaxConcurrentInvocationsPerInstance: asyncInference.maxConcurrentInvocationsPerInstance } }
              : {}),
          },
        }
      : {}),
    ...(tags.length ? { Tags: tags } : {}),
  };
}

/** Default wait between canary/linear steps when the spec gives none: long enough for alarms to fire (also in release-settings.ts). */
export const DEFAULT_STEP_WAIT_SECONDS = 300;

/**
 * UpdateEndpoint's DeploymentConfig: a blue/green policy (ALL_AT_ONCE, CANARY with CanarySize or
 * LINEAR with LinearStepSize, as capacity percentages) and the rollback alarms. Undefined when the
 * spec says nothing, which leaves SageMaker's own default (blue/green, all at once).
 */
export function deploymentConfig(release: Release, timeoutMinutes: number): EndpointDeploymentConfig | undefined {
  const d = release.deployment;
  if (!d || (!d.blueGreen && !d.autoRollbackAlarms?.length)) return undefined;
  const bg = d.blueGreen ?? {};
  const type = bg.trafficRouting ?? 'ALL_AT_ONCE';
  const wait = bg.waitIntervalInSeconds ?? (type === 'ALL_AT_ONCE' ? 0 : DEFAULT_STEP_WAIT_SECONDS);
  const routing = {
    Type: type,
    WaitIntervalInSeconds: wait,
    ...(type === 'CANARY' ? { CanarySize: { Type: 'CAPACITY_PERCENT' as const, Value: bg.canaryPercent ?? 10 } } : {}),
    ...(type === 'LINEAR' ? { LinearStepSize: { Type: 'CAPACITY_PERCENT' as const, Value: bg.linearStepPercent ?? 20 } } : {}),
  };
  // SageMaker gives up (and rolls back) at MaximumExecutionTimeoutInSeconds; by default it matches
  // our own deadline, so the endpoint and the CI job agree on when a deployment has failed.
  const maxSeconds = bg.maximumExecutionTimeoutInSeconds ?? Math.min(14_400, Math.max(600, timeoutMinutes * 60));
  return {
    BlueGreenUpdatePolicy: {
      TrafficRoutingConfiguration: routing,
      ...(bg.terminationWaitInSeconds !== undefined ? { TerminationWaitInSeconds: bg.terminationWaitInSeconds } : {}),
      MaximumExecutionTimeoutInSeconds: maxSeconds,
    },
    ...(d.autoRollbackAlarms?.length ? { AutoRollbackConfiguration: { Alarms: d.autoRollbackAlarms.map((AlarmName) => ({ AlarmName })) } } : {}),
  };
}

/** Creates the model from the package unless it exists already. Returns whether it was created. */
export async function ensureModel(
  client: SageMakerPort,
  input: { name: string; packageArn: string; roleArn: string; tags: ResourceTag[] },
): Promise<boolean> {
  if (await modelExists(client, input.name)) return false;
  await createModel(client, {
    ModelName: input.name,
    // The package carries the image and model data; the model refers to it so they cannot drift apart.
    Containers: [{ ModelPackageName: input.packageArn }],
    ExecutionRoleArn: input.roleArn,
    ...(input.tags.length ? { Tags: input.tags } : {}),
  });
  return true;
}

/** Creates the endpoint config unless one with this (content-hashed) name exists. Returns whether it was created. */
export async function ensureEndpointConfig(client: SageMakerPort, input: EndpointConfigInput & { EndpointConfigName: string }): Promise<boolean> {
  if (await endpointConfigExists(client, input.EndpointConfigName)) return false;
  await createEndpointConfig(client, input);
  return true;
}

/** CreateEndpoint or UpdateEndpoint, whichever `existing` calls for. */
export async function startDeployment(
  client: SageMakerPort,
  input: { endpointName: string; configName: string; exists: boolean; deployment?: EndpointDeploymentConfig; tags: ResourceTag[] },
): Promise<'created' | 'updated'> {
  if (!input.exists) {
    await createEndpoint(client, input.endpointName, input.configName, input.tags);
    return 'created';
  }
  await updateEndpoint(client, input.endpointName, input.configName, input.deployment);
  return 'updated';
}

/** Tag values allow letters, digits, spaces and `_.:/=+-@` only. */
export function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_').slice(0, 256);
}
