/** What every SageMaker operation handler is given: state, time and the request's region. */
import type { Clock } from '../clock.js';
import type { ObjectStore } from '../object-store.js';
import type { RecordStore } from '../record-store.js';
import type { Executions } from '../executions.js';

export type Input = Record<string, unknown>;

export interface SageMakerContext {
  records: RecordStore;
  objects: ObjectStore;
  clock: Clock;
  region: string;
  executions: Executions;
  /** Unique lowercase id source (execution ids, version suffixes); injectable for tests. */
  newId(): string;
  /** How long endpoint Creating/Updating lasts before the outcome is reported. */
  endpointTransitionMs: number;
}

export type Operation = (input: Input, context: SageMakerContext) => unknown;

/** Epoch seconds now, the unit every stored SageMaker timestamp uses. */
export function nowSeconds(context: SageMakerContext): number {
  return context.clock.now() / 1000;
}

/** Record store collection names, in one place so the engine adapter and handlers agree. */
export const Collections = {
  pipelines: 'pipelines',
  pipelineVersions: 'pipeline-versions',
  executions: 'executions',
  executionInputs: 'execution-inputs',
  steps: 'execution-steps',
  tokens: 'idempotency-tokens',
  tags: 'tags',
  endpointConfigs: 'endpoint-configs',
  endpoints: 'endpoints',
  monitoringSchedules: 'monitoring-schedules',
  cache: 'step-cache',
  /** Resources shared with the engine (ports.ts ResourceKind), one collection per kind. */
  resource: (kind: string) => `resource-${kind}`,
} as const;

/**
 * A record by SageMaker name. SageMaker names are unique case-insensitively (ARNs carry them
 * lowercased), and clients routinely take a job name from the last segment of its ARN, so an
 * exact match is tried first and then a case-insensitive one.
 */
export function findByName<T>(context: SageMakerContext, collection: string, name: string, nameMember: string): T | undefined {
  const exact = context.records.get<T>(collection, name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  return context.records.list<T>(collection).find((r) => String((r as Record<string, unknown>)[nameMember]).toLowerCase() === lower);
}
