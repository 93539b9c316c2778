/**
 * Durable key/value records grouped in collections: the local backend's SageMaker state.
 * Every record is one JSON file replaced atomically, and every write is synchronous, so once
 * a request has been answered its effect is on disk; a SIGKILL at any moment loses nothing
 * that a client was told had happened.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export interface RecordStore {
  get<T>(collection: string, id: string): T | undefined;
  put<T>(collection: string, id: string, value: T): void;
  delete(collection: string, id: string): boolean;
  list<T>(collection: string): T[];
}

interface StoredRecord {
  id: string;
  value: unknown;
}

/** File names are hashes of the ids: ARNs and names may hold characters a file system rejects. */
function fileName(id: string): string {
  return `${createHash('sha256').update(id).digest('hex').slice(0, 40)}.json`;
}

/** Opens (loading everything already on disk) the record store rooted at `dir`. */
export function openRecordStore(dir: string): RecordStore {
  const collections = new Map<string, Map<string, unknown>>();
  if (existsSync(dir)) {
    for (const collection of readdirSync(dir)) {
      const records = new Map<string, unknown>();
      for (const file of readdirSync(join(dir, collection))) {
        // Temp files are leftovers of a write interrupted before its rename: never committed.
        if (!file.endsWith('.json') || file.startsWith('.')) continue;
        const stored = JSON.parse(readFileSync(join(dir, collection, file), 'utf8')) as StoredRecord;
        records.set(stored.id, stored.value);
      }
      collections.set(collection, records);
    }
  }
  const of = (collection: string): Map<string, unknown> => {
    let records = collections.get(collection);
    if (records === undefined) {
      records = new Map();
      collections.set(collection, records);
    }
    return records;
  };
  return {
    get<T>(collection: string, id: string): T | undefined {
      const value = of(collection).get(id);
      // Callers get a copy so that mutating a result can never change state without a put.
      return value === undefined ? undefined : (structuredClone(value) as T);
    },
    put<T>(collection: string, id: string, value: T): void {
      const copy = structuredClone(value);
      writeFileAtomic(join(dir, collection, fileName(id)), JSON.stringify({ id, value: copy }));
      of(collection).set(id, copy);
    },
    delete(collection: string, id: string): boolean {
      const existed = of(collection).delete(id);
      rmSync(join(dir, collection, fileName(id)), { force: true });
      return existed;
    },
    list<T>(collection: string): T[] {
      return [...of(collection).values()].map((value) => structuredClone(value) as T);
    },
  };
}
