/**
 * The local S3's storage: buckets and objects on disk under one root. Object bytes and their
 * metadata live in separate files; the metadata file (replaced atomically) names the data
 * file, which is written first under a fresh name, so a crash mid-write leaves the previous
 * version intact and at worst an orphan data file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import type { Clock } from './clock.js';

export interface ObjectMeta {
  key: string;
  size: number;
  /** Quoted hex MD5, as S3 returns it. */
  etag: string;
  contentType: string;
  /** Epoch milliseconds. */
  lastModified: number;
  userMetadata: Record<string, string>;
  dataFile: string;
}

export interface ObjectStore {
  createBucket(bucket: string): boolean;
  bucketExists(bucket: string): boolean;
  listBuckets(): { name: string; created: number }[];
  deleteBucket(bucket: string): void;
  putObject(bucket: string, key: string, body: Uint8Array, options?: PutOptions): ObjectMeta;
  headObject(bucket: string, key: string): ObjectMeta | undefined;
  getObject(bucket: string, key: string): { meta: ObjectMeta; body: Buffer } | undefined;
  deleteObject(bucket: string, key: string): void;
  /** All objects of a bucket whose key starts with `prefix`, sorted by key (UTF-8 byte order). */
  listObjects(bucket: string, prefix: string): ObjectMeta[];
}

export interface PutOptions {
  contentType?: string;
  userMetadata?: Record<string, string>;
  /** Overrides the MD5 ETag: multipart objects carry "<md5 of md5s>-<parts>". */
  etag?: string;
}

/** Bucket names are the S3 ones: lowercase, digits, dots, hyphens; anything else is refused. */
export function isValidBucketName(bucket: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) && !bucket.includes('..');
}

function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Opens the object store rooted at `dir`, indexing what is already there. */
export function openObjectStore(dir: string, clock: Clock): ObjectStore {
  const buckets = new Map<string, { created: number; objects: Map<string, ObjectMeta> }>();
  mkdirSync(dir, { recursive: true });
  for (const bucket of readdirSync(dir)) {
    if (!isValidBucketName(bucket)) continue;
    const info = JSON.parse(readFileSync(join(dir, bucket, 'bucket.json'), 'utf8')) as { created: number };
    const objects = new Map<string, ObjectMeta>();
    const metaDir = join(dir, bucket, 'meta');
    if (existsSync(metaDir)) {
      for (const file of readdirSync(metaDir)) {
        if (!file.endsWith('.json') || file.startsWith('.')) continue;
        const meta = JSON.parse(readFileSync(join(metaDir, file), 'utf8')) as ObjectMeta;
        objects.set(meta.key, meta);
      }
    }
    buckets.set(bucket, { created: info.created, objects });
  }

  const bucketOf = (bucket: string) => buckets.get(bucket);

  return {
    createBucket(bucket) {
      if (buckets.has(bucket)) return false;
      const created = clock.now();
      writeFileAtomic(join(dir, bucket, 'bucket.json'), JSON.stringify({ created }));
      buckets.set(bucket, { created, objects: new Map() });
      return true;
    },
    bucketExists: (bucket) => buckets.has(bucket),
    listBuckets: () =>
      [...buckets.entries()].map(([name, b]) => ({ name, created: b.created })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    deleteBucket(bucket) {
      buckets.delete(bucket);
      rmSync(join(dir, bucket), { recursive: true, force: true });
    },
    putObject(bucket, key, body, options = {}) {
      const b = bucketOf(bucket);
      if (b === undefined) throw new Error(`no bucket ${bucket}`);
      const hash = keyHash(key);
      const dataFile = `${hash}.${randomBytes(6).toString('hex')}.bin`;
      writeFileAtomic(join(dir, bucket, 'data', dataFile), body);
      const meta: ObjectMeta = {
        key,
        size: body.byteLength,
        etag: options.etag ?? `"${createHash('md5').update(body).digest('hex')}"`,
        contentType: options.contentType ?? 'application/octet-stream',
        lastModified: clock.now(),
        userMetadata: options.userMetadata ?? {},
        dataFile,
      };
      writeFileAtomic(join(dir, bucket, 'meta', `${hash}.json`), JSON.stringify(meta));
      const previous = b.objects.get(key);
      b.objects.set(key, meta);
      if (previous !== undefined) rmSync(join(dir, bucket, 'data', previous.dataFile), { force: true });
      return meta;
    },
    headObject: (bucket, key) => bucketOf(bucket)?.objects.get(key),
    getObject(bucket, key) {
      const meta = bucketOf(bucket)?.objects.get(key);
      if (meta === undefined) return undefined;
      return { meta, body: readFileSync(join(dir, bucket, 'data', meta.dataFile)) };
    },
    deleteObject(bucket, key) {
      const b = bucketOf(bucket);
      const meta = b?.objects.get(key);
      if (b === undefined || meta === undefined) return;
      rmSync(join(dir, bucket, 'meta', `${keyHash(key)}.json`), { force: true });
      rmSync(join(dir, bucket, 'data', meta.dataFile), { force: true });
      b.objects.delete(key);
    },
    listObjects(bucket, prefix) {
      const b = bucketOf(bucket);
      if (b === undefined) return [];
      return [...b.objects.values()]
        .filter((m) => m.key.startsWith(prefix))
        .sort((x, y) => Buffer.compare(Buffer.from(x.key), Buffer.from(y.key)));
    },
  };
}
