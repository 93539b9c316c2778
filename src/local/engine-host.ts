/**
 * The service's side of the engine boundary (engine/ports.ts): the engine's records, objects,
 * clock and logs, implemented on the backend's durable stores. Everything is written in wire
 * form (epoch seconds), so a record the engine wrote is returned by Describe* unchanged.
 */
import type { Clock } from './clock.js';
import type {
  CacheEntry,
  ClockPort,
  EnginePorts,
  ExecutionPatch,
  JsonObject,
  LogPort,
  ObjectStorePort,
  PipelineExecutionStep,
  RecordPort,
  ResourceKind,
  SpawnPort,
} from './engine/ports.js';
import type { LogStore } from './log-store.js';
import type { ObjectStore } from './object-store.js';
import type { RecordStore } from './record-store.js';
import { Collections } from './sagemaker/context.js';
import { toWire } from './wire.js';

/** Steps of one execution, as stored: one record per execution, upserted by step name. */
export interface StoredSteps {
  steps: Record<string, unknown>[];
}

/** Upserts a step by StepName (the latest write wins), keeping first-seen order. */
export function upsertStep(records: RecordStore, executionArn: string, step: Record<string, unknown>): void {
  const stored = records.get<StoredSteps>(Collections.steps, executionArn) ?? { steps: [] };
  const at = stored.steps.findIndex((s) => s['StepName'] === step['StepName']);
  if (at >= 0) stored.steps[at] = step;
  else stored.steps.push(step);
  records.put(Collections.steps, executionArn, stored);
}

/** Applies a patch to a stored execution; unknown executions are ignored (deleted meanwhile). */
export function patchExecution(records: RecordStore, executionArn: string, patch: Record<string, unknown>): void {
  const execution = records.get<Record<string, unknown>>(Collections.executions, executionArn);
  if (execution === undefined) return;
  records.put(Collections.executions, executionArn, { ...execution, ...patch });
}

/** The RecordPort over the record store. */
export function createRecordPort(records: RecordStore): RecordPort {
  return {
    async updateExecution(executionArn: string, patch: ExecutionPatch) {
      patchExecution(records, executionArn, toWire(patch) as Record<string, unknown>);
    },
    async putStep(executionArn: string, step: PipelineExecutionStep) {
      upsertStep(records, executionArn, toWire(step) as Record<string, unknown>);
    },
    async putResource(kind: ResourceKind, id: string, describe: JsonObject) {
      records.put(Collections.resource(kind), id, toWire(describe));
    },
    async getResource(kind: ResourceKind, id: string) {
      return records.get<JsonObject>(Collections.resource(kind), id);
    },
    async listResources(kind: ResourceKind) {
      return records.list<JsonObject>(Collections.resource(kind));
    },
    async getCacheEntry(key: string) {
      const stored = records.get<Omit<CacheEntry, 'completedAt'> & { completedAt: number }>(Collections.cache, key);
      return stored === undefined ? undefined : { ...stored, completedAt: new Date(stored.completedAt) };
    },
    async putCacheEntry(entry: CacheEntry) {
      records.put(Collections.cache, entry.key, { ...entry, completedAt: entry.completedAt.getTime() });
    },
  };
}

/** The ObjectStorePort over the local S3. */
export function createObjectPort(objects: ObjectStore): ObjectStorePort {
  return {
    async get(bucket, key) {
      return objects.getObject(bucket, key)?.body;
    },
    async put(bucket, key, body) {
      // Engine outputs may target a bucket nobody created: SageMaker would fail, but locally
      // the user's intent (write there) is unambiguous, and ports.ts asks for creation.
      if (!objects.bucketExists(bucket)) objects.createBucket(bucket);
      objects.putObject(bucket, key, body);
    },
    async list(bucket, prefix) {
      return objects.listObjects(bucket, prefix).map((m) => m.key);
    },
  };
}

/** The ClockPort over the backend clock; sleeps are real timers unless the clock brings its own. */
export function createClockPort(clock: Clock): ClockPort {
  return {
    now: () => new Date(clock.now()),
    sleep:
      clock.sleep ??
      ((ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve) => {
          if (signal?.aborted === true) return resolve();
          const timer = setTimeout(done, ms);
          function done(): void {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          }
          signal?.addEventListener('abort', done, { once: true });
        })),
  };
}

/** The LogPort over the log store. */
export function createLogPort(logs: LogStore): LogPort {
  return { append: (group, stream, event) => logs.append(group, stream, event) };
}

export interface EngineHostOptions {
  records: RecordStore;
  objects: ObjectStore;
  logs: LogStore;
  clock: Clock;
  spawn: SpawnPort;
  workDir: string;
  python?: string;
  baseEnv?: Record<string, string>;
}

/** All ports the engine is started with. */
export function createEnginePorts(options: EngineHostOptions): EnginePorts {
  const ports: EnginePorts = {
    objects: createObjectPort(options.objects),
    records: createRecordPort(options.records),
    clock: createClockPort(options.clock),
    spawn: options.spawn,
    logs: createLogPort(options.logs),
    workDir: options.workDir,
  };
  if (options.python !== undefined) ports.python = options.python;
  if (options.baseEnv !== undefined) ports.baseEnv = options.baseEnv;
  return ports;
}
