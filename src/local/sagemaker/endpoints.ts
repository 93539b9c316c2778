/**
 * CreateEndpoint / UpdateEndpoint / DescribeEndpoint / DeleteEndpoint with SageMaker's status
 * transitions: Creating → InService (or Failed), Updating → InService. A failed update rolls
 * back: the endpoint stays InService on its previous config and FailureReason says why, which
 * is what DescribeEndpoint shows after a real rollback.
 *
 * Transitions are settled lazily from timestamps on every access, not by timers: nothing is
 * lost across a restart, and a test with a fake clock controls them exactly.
 */
import { sagemakerArn } from '../arns.js';
import { requireString, validation } from '../service-error.js';
import { Collections, nowSeconds, type Operation, type SageMakerContext } from './context.js';
import { getEndpointConfig } from './models.js';
import { addTags, dropTags } from './tags.js';

type Json = Record<string, unknown>;

interface PendingDeployment {
  kind: 'create' | 'update';
  configName: string;
  /** Epoch milliseconds at which the deployment's outcome is decided. */
  readyAt: number;
  startTime: number;
}

interface EndpointRecord extends Json {
  EndpointName: string;
  EndpointArn: string;
  EndpointConfigName: string;
  EndpointStatus: string;
  CreationTime: number;
  LastModifiedTime: number;
  FailureReason?: string;
  _pending?: PendingDeployment;
}

/**
 * Why a config cannot be deployed locally, or undefined when it can: every variant's model must
 * still exist and its model data must be in the local S3 — the check SageMaker's own
 * deployment fails on ("Failed to download model data").
 */
export function deploymentProblem(context: SageMakerContext, configName: string): string | undefined {
  const config = context.records.get<Json>(Collections.endpointConfigs, configName);
  if (config === undefined) return `Could not find endpoint configuration "${sagemakerArn(context.region, 'endpoint-config', configName)}".`;
  for (const variant of (config['ProductionVariants'] as Json[] | undefined) ?? []) {
    const modelName = String(variant['ModelName'] ?? '');
    const model = context.records.get<Json>(Collections.resource('Model'), modelName);
    if (model === undefined) return `Could not find model "${sagemakerArn(context.region, 'model', modelName)}" for production variant ${String(variant['VariantName'])}.`;
    const containers = [model['PrimaryContainer'], ...((model['Containers'] as unknown[] | undefined) ?? [])].filter((c): c is Json => c !== undefined);
    for (const container of containers) {
      const url = container['ModelDataUrl'];
      if (typeof url !== 'string') continue;
      const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
      if (match?.[1] === undefined || match[2] === undefined) continue;
      const bucket = match[1];
      const key = match[2];
      const exists = context.objects.headObject(bucket, key) !== undefined || (key.endsWith('/') && context.objects.listObjects(bucket, key).length > 0);
      if (!exists) {
        return (
          `Failed to download model data(bucket: ${bucket}, key: ${key}). Please ensure that there is an object located at the URL ` +
          'and that the role passed to CreateModel has permissions to download the model.'
        );
      }
    }
  }
  return undefined;
}

function variantSummaries(context: SageMakerContext, configName: string, at: number): Json[] {
  const config = context.records.get<Json>(Collections.endpointConfigs, configName);
  return ((config?.['ProductionVariants'] as Json[] | undefined) ?? []).map((variant) => {
    const model = context.records.get<Json>(Collections.resource('Model'), String(variant['ModelName'] ?? ''));
    const image = (model?.['PrimaryContainer'] as Json | undefined)?.['Image'];
    const count = typeof variant['InitialInstanceCount'] === 'number' ? variant['InitialInstanceCount'] : 1;
    const weight = typeof variant['InitialVariantWeight'] === 'number' ? variant['InitialVariantWeight'] : 1;
    const summary: Json = {
      VariantName: variant['VariantName'],
      CurrentWeight: weight,
      DesiredWeight: weight,
      CurrentInstanceCount: count,
      DesiredInstanceCount: count,
    };
    if (typeof image === 'string') summary['DeployedImages'] = [{ SpecifiedImage: image, ResolvedImage: image, ResolutionTime: at }];
    return summary;
  });
}

function captureSummary(context: SageMakerContext, configName: string): Json | undefined {
  const capture = context.records.get<Json>(Collections.endpointConfigs, configName)?.['DataCaptureConfig'] as Json | undefined;
  if (capture === undefined) return undefined;
  const enabled = capture['EnableCapture'] !== false;
  return {
    EnableCapture: enabled,
    CaptureStatus: enabled ? 'Started' : 'Stopped',
    CurrentSamplingPercentage: capture['InitialSamplingPercentage'] ?? 100,
    DestinationS3Uri: capture['DestinationS3Uri'],
    ...(typeof capture['KmsKeyId'] === 'string' ? { KmsKeyId: capture['KmsKeyId'] } : {}),
  };
}

/** Applies a due deployment outcome to the stored endpoint and returns the endpoint as it now is. */
export function settleEndpoint(context: SageMakerContext, name: string): EndpointRecord | undefined {
  const endpoint = context.records.get<EndpointRecord>(Collections.endpoints, name);
  if (endpoint === undefined) return undefined;
  const pending = endpoint._pending;
  if (pending === undefined || context.clock.now() < pending.readyAt) return endpoint;
  const problem = deploymentProblem(context, pending.configName);
  const at = pending.readyAt / 1000;
  delete endpoint._pending;
  endpoint.LastModifiedTime = at;
  if (problem === undefined) {
    endpoint.EndpointStatus = 'InService';
    endpoint.EndpointConfigName = pending.configName;
    endpoint['ProductionVariants'] = variantSummaries(context, pending.configName, at);
    const capture = captureSummary(context, pending.configName);
    if (capture !== undefined) endpoint['DataCaptureConfig'] = capture;
    else delete endpoint['DataCaptureConfig'];
    delete endpoint.FailureReason;
  } else if (pending.kind === 'create') {
    endpoint.EndpointStatus = 'Failed';
    endpoint.FailureReason = problem;
  } else {
    // Rolled back: still serving the previous config, the reason kept for the caller to see.
    endpoint.EndpointStatus = 'InService';
    endpoint.FailureReason = problem;
  }
  context.records.put(Collections.endpoints, name, endpoint);
  return endpoint;
}

function getEndpoint(context: SageMakerContext, name: string): EndpointRecord {
  const endpoint = settleEndpoint(context, name);
  if (endpoint === undefined) throw validation(`Could not find endpoint "${sagemakerArn(context.region, 'endpoint', name)}".`);
  return endpoint;
}

function describeBody(endpoint: EndpointRecord): Json {
  const { _pending: pending, ...body } = endpoint;
  if (pending?.kind === 'update') body['PendingDeploymentSummary'] = { EndpointConfigName: pending.configName, StartTime: pending.startTime };
  return body;
}

export const endpointOperations: Record<string, Operation> = {
  CreateEndpoint(input, context) {
    const name = requireString(input, 'EndpointName');
    const configName = requireString(input, 'EndpointConfigName');
    const arn = sagemakerArn(context.region, 'endpoint', name);
    if (context.records.get(Collections.endpoints, name) !== undefined) throw validation(`Cannot create already existing endpoint "${arn}".`);
    getEndpointConfig(context, configName);
    const now = nowSeconds(context);
    const endpoint: EndpointRecord = {
      EndpointName: name,
      EndpointArn: arn,
      EndpointConfigName: configName,
      EndpointStatus: 'Creating',
      CreationTime: now,
      LastModifiedTime: now,
      _pending: { kind: 'create', configName, readyAt: context.clock.now() + context.endpointTransitionMs, startTime: now },
    };
    if (input['DeploymentConfig'] !== undefined) endpoint['LastDeploymentConfig'] = input['DeploymentConfig'];
    context.records.put(Collections.endpoints, name, endpoint);
    if (input['Tags'] !== undefined) addTags(context, arn, input['Tags']);
    return { EndpointArn: arn };
  },

  UpdateEndpoint(input, context) {
    const name = requireString(input, 'EndpointName');
    const configName = requireString(input, 'EndpointConfigName');
    const endpoint = getEndpoint(context, name);
    if (endpoint.EndpointStatus !== 'InService') {
      throw validation(`Cannot update in-progress endpoint "${endpoint.EndpointArn}".`);
    }
    getEndpointConfig(context, configName);
    const now = nowSeconds(context);
    endpoint.EndpointStatus = 'Updating';
    endpoint.LastModifiedTime = now;
    delete endpoint.FailureReason;
    endpoint._pending = { kind: 'update', configName, readyAt: context.clock.now() + context.endpointTransitionMs, startTime: now };
    if (input['DeploymentConfig'] !== undefined) endpoint['LastDeploymentConfig'] = input['DeploymentConfig'];
    context.records.put(Collections.endpoints, name, endpoint);
    return { EndpointArn: endpoint.EndpointArn };
  },

  DescribeEndpoint: (input, context) => describeBody(getEndpoint(context, requireString(input, 'EndpointName'))),

  DeleteEndpoint(input, context) {
    const endpoint = getEndpoint(context, requireString(input, 'EndpointName'));
    // Deletion is immediate locally: there is no fleet to drain.
    context.records.delete(Collections.endpoints, endpoint.EndpointName);
    dropTags(context, endpoint.EndpointArn);
    return {};
  },
};

/** The endpoint a runtime request names, settled to now; undefined when there is none. */
export function endpointForInvocation(context: SageMakerContext, name: string): Json | undefined {
  const endpoint = settleEndpoint(context, name);
  return endpoint === undefined ? undefined : describeBody(endpoint);
}
