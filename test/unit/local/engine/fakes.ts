/** In-memory fakes of the engine's ports, with the inspection helpers the tests need. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNodeSpawner } from '../../../../src/local/engine/node-spawn.js';
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
} from '../../../../src/local/engine/ports.js';

export class MemoryObjects implements ObjectStorePort {
  readonly data = new Map<string, Uint8Array>();
  async get(bucket: string, key: string): Promise<Uint8Array | undefined> {
    return this.data.get(`${bucket}/${key}`);
  }
  async put(bucket: string, key: string, body: Uint8Array): Promise<void> {
    this.data.set(`${bucket}/${key}`, body);
  }
  async list(bucket: string, prefix: string): Promise<string[]> {
    return [...this.data.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1));
  }
  putText(uri: string, text: string): void {
    this.data.set(uri.replace(/^s3:\/\//, ''), new TextEncoder().encode(text));
  }
  text(uri: string): string | undefined {
    const body = this.data.get(uri.replace(/^s3:\/\//, ''));
    return body === undefined ? undefined : new TextDecoder().decode(body);
  }
}

export class MemoryRecords implements RecordPort {
  readonly executions = new Map<string, ExecutionPatch[]>();
  /** Every putStep call per execution, in order. */
  readonly stepWrites = new Map<string, PipelineExecutionStep[]>();
  readonly resources = new Map<string, JsonObject>();
  readonly cache = new Map<string, CacheEntry>();
  async updateExecution(arn: string, patch: ExecutionPatch): Promise<void> {
    this.executions.set(arn, [...(this.executions.get(arn) ?? []), patch]);
  }
  async putStep(arn: string, step: PipelineExecutionStep): Promise<void> {
    this.stepWrites.set(arn, [...(this.stepWrites.get(arn) ?? []), structuredClone(step)]);
  }
  async putResource(kind: ResourceKind, id: string, describe: JsonObject): Promise<void> {
    this.resources.set(`${kind}/${id}`, structuredClone(describe));
  }
  async getResource(kind: ResourceKind, id: string): Promise<JsonObject | undefined> {
    return this.resources.get(`${kind}/${id}`);
  }
  async listResources(kind: ResourceKind): Promise<JsonObject[]> {
    return [...this.resources].filter(([k]) => k.startsWith(`${kind}/`)).map(([, v]) => v);
  }
  async getCacheEntry(key: string): Promise<CacheEntry | undefined> {
    return this.cache.get(key);
  }
  async putCacheEntry(entry: CacheEntry): Promise<void> {
    this.cache.set(entry.key, entry);
  }
  readonly stepProperties = new Map<string, JsonObject>();
  async putStepProperties(arn: string, step: string, properties: JsonObject): Promise<void> {
    this.stepProperties.set(`${arn}#${step}`, structuredClone(properties));
  }
  async getStepProperties(arn: string, step: string): Promise<JsonObject | undefined> {
    return this.stepProperties.get(`${arn}#${step}`);
  }
  /** Latest record of each step of an execution. */
  steps(arn: string): Map<string, PipelineExecutionStep> {
    const latest = new Map<string, PipelineExecutionStep>();
    for (const s of this.stepWrites.get(arn) ?? []) latest.set(s.StepName, s);
    return latest;
  }
  /** Statuses a step went through, in order, without repeats. */
  transitions(arn: string, step: string): string[] {
    const out: string[] = [];
    for (const s of this.stepWrites.get(arn) ?? []) if (s.StepName === step && out.at(-1) !== s.StepStatus) out.push(s.StepStatus);
    return out;
  }
  executionStatuses(arn: string): string[] {
    return (this.executions.get(arn) ?? []).map((p) => p.PipelineExecutionStatus);
  }
}

export class MemoryLogs implements LogPort {
  readonly events: { group: string; stream: string; message: string }[] = [];
  append(group: string, stream: string, event: { timestamp: Date; message: string }): void {
    this.events.push({ group, stream, message: event.message });
  }
  messages(group: string): string[] {
    return this.events.filter((e) => e.group === group).map((e) => e.message);
  }
}

/** Real time, but sleeps (retry intervals) return at once and are recorded; long ones (job max runtime) wait for abort. */
export class FastClock implements ClockPort {
  readonly sleeps: number[] = [];
  now(): Date {
    return new Date();
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (ms < 60_000 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  }
}

/** A fresh set of ports over a temp work dir; `cleanup()` removes it. */
export function createFakePorts(): EnginePorts & {
  objects: MemoryObjects;
  records: MemoryRecords;
  logs: MemoryLogs;
  clock: FastClock;
  cleanup(): void;
} {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'smpk-engine-'));
  let n = 0;
  return {
    objects: new MemoryObjects(),
    records: new MemoryRecords(),
    logs: new MemoryLogs(),
    clock: new FastClock(),
    spawn: createNodeSpawner(),
    workDir,
    python: 'python3',
    baseEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    newId: () => `id${(n += 1)}`,
    cleanup: () => rmSync(workDir, { recursive: true, force: true }),
  };
}
