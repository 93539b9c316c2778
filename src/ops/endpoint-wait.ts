/**
 * Waiting for an endpoint after CreateEndpoint/UpdateEndpoint, with the shared poller. Every
 * EndpointStatus is classified; InService alone is not success — after an update the endpoint must
 * serve the new config, since a failed blue/green update ends InService on the old one (the ECS
 * lesson: a successful wait that hides a rollback).
 */
import { describeEndpoint, type EndpointDescription } from '../aws/endpoints.js';
import type { SageMakerPort } from '../aws/sagemaker.js';
import type { Clock } from './clock.js';
import { defaultPollSettings, poll } from './poller.js';

/** Statuses during which SageMaker is still working on the endpoint. */
export const ENDPOINT_TRANSITIONAL_STATUSES = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting']);
/** Statuses after which this deployment will not change any more. */
export const ENDPOINT_SETTLED_STATUSES = new Set(['InService', 'Failed', 'OutOfService', 'UpdateRollbackFailed']);

export type EndpointWaitOutcome =
  /** InService on the expected config. */
  | 'in-service'
  /** InService again, but on another config, or after RollingBack: the previous config keeps serving. */
  | 'rolled-back'
  | 'failed'
  | 'out-of-service'
  | 'rollback-failed'
  /** Someone deletes the endpoint. */
  | 'deleting'
  | 'deadline'
  | 'cancelled';

export interface EndpointWait {
  outcome: EndpointWaitOutcome;
  status?: string;
  configName?: string;
  failureReason?: string;
  /** Status transitions in order, starting with the first status seen. */
  transitions: string[];
  last?: EndpointDescription;
}

export interface EndpointWaitReporter {
  status?(status: string, description: EndpointDescription): void;
  unknownStatus?(status: string): void;
  retrying?(message: string): void;
}

/** Waits until the endpoint settles on `expectedConfig` (or fails, rolls back, or the deadline passes). */
export async function waitForEndpoint(
  input: { endpointName: string; expectedConfig: string; deadline: number; intervalMs?: number; signal?: AbortSignal },
  deps: { sagemaker: SageMakerPort; clock: Clock; random: () => number; reporter?: EndpointWaitReporter },
): Promise<EndpointWait> {
  const transitions: string[] = [];
  const warned = new Set<string>();
  let rollingBackSeen = false;
  const outcome = await poll<EndpointDescription>(
    {
      probe: () => describeEndpoint(deps.sagemaker, input.endpointName),
      isDone: (d) => ENDPOINT_SETTLED_STATUSES.has(d.EndpointStatus ?? '') || d.EndpointStatus === 'Deleting',
      onValue: (d) => {
        const status = d.EndpointStatus ?? 'Unknown';
        if (transitions[transitions.length - 1] !== status) {
          transitions.push(status);
          deps.reporter?.status?.(status, d);
        }
        if (status === 'RollingBack') rollingBackSeen = true;
        if (!ENDPOINT_SETTLED_STATUSES.has(status) && !ENDPOINT_TRANSITIONAL_STATUSES.has(status) && !warned.has(status)) {
          // Unknown to this kit: not settled as far as we know, so keep waiting, but say so.
          warned.add(status);
          deps.reporter?.unknownStatus?.(status);
        }
      },
      onRetry: (error, delayMs, throttled) =>
        deps.reporter?.retrying?.(`${throttled ? 'throttled by SageMaker' : `transient error (${error instanceof Error ? error.name : 'error'})`}; next check in ${Math.round(delayMs / 1000)} s`),
    },
    {
      ...defaultPollSettings,
      intervalMs: input.intervalMs ?? defaultPollSettings.intervalMs,
      random: deps.random,
      deadline: input.deadline,
      ...(input.signal ? { signal: input.signal } : {}),
    },
    deps.clock,
  );
  const base = (d: EndpointDescription | undefined) => ({
    transitions,
    ...(d ? { last: d } : {}),
    ...(d?.EndpointStatus ? { status: d.EndpointStatus } : {}),
    ...(d?.EndpointConfigName ? { configName: d.EndpointConfigName } : {}),
    ...(d?.FailureReason ? { failureReason: d.FailureReason } : {}),
  });
  if (outcome.kind === 'deadline') return { outcome: 'deadline', ...base(outcome.last) };
  if (outcome.kind === 'cancelled') return { outcome: 'cancelled', ...base(outcome.last) };
  const d = outcome.value;
  switch (d.EndpointStatus) {
    case 'InService':
      return { outcome: rollingBackSeen || d.EndpointConfigName !== input.expectedConfig ? 'rolled-back' : 'in-service', ...base(d) };
    case 'Failed':
      return { outcome: 'failed', ...base(d) };
    case 'OutOfService':
      return { outcome: 'out-of-service', ...base(d) };
    case 'UpdateRollbackFailed':
      return { outcome: 'rollback-failed', ...base(d) };
    default:
      return { outcome: 'deleting', ...base(d) };
  }
}

/** Checks that the endpoint really serves `configName`: every variant has weight and capacity. Returns the problems. */
export function verifyServing(d: EndpointDescription, configName: string): string[] {
  const problems: string[] = [];
  if (d.EndpointConfigName !== configName) problems.push(`the endpoint serves ${d.EndpointConfigName ?? 'no config'}, not ${configName}`);
  const variants = d.ProductionVariants ?? [];
  if (variants.length === 0) problems.push('the endpoint reports no production variants');
  for (const v of variants) {
    const name = v.VariantName ?? '?';
    if ((v.CurrentWeight ?? 0) <= 0 && variants.length === 1) problems.push(`variant ${name} has weight ${v.CurrentWeight ?? 0}`);
    const serverless = v.CurrentServerlessConfig !== undefined;
    if (!serverless && (v.CurrentInstanceCount ?? 0) < 1) problems.push(`variant ${name} has ${v.CurrentInstanceCount ?? 0} instances`);
  }
  return problems;
}
