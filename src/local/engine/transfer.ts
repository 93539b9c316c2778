/** Moving data between the object store and a job sandbox, with S3 prefix semantics. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StepFailure } from './failure.js';
import type { ObjectStorePort } from './ports.js';
import { parseS3Uri } from './s3-uri.js';
import { listFiles, unpackTarGz } from './tar.js';

/**
 * Downloads every object under `uri` (an object key or a key prefix) into `dir`; returns how many.
 * An exact object lands as its basename; objects under `prefix/` keep their path below it.
 */
export async function downloadPrefix(objects: ObjectStorePort, uri: string, dir: string): Promise<number> {
  const { bucket, key } = parseS3Uri(uri);
  const keys = (await objects.list(bucket, key)).filter((k) => !k.endsWith('/')).sort();
  const root = path.resolve(dir);
  await mkdir(root, { recursive: true });
  let count = 0;
  for (const k of keys) {
    let rel: string;
    if (k === key) rel = path.posix.basename(k);
    else if (key === '' || key.endsWith('/')) rel = k.slice(key.length);
    else if (k.startsWith(`${key}/`)) rel = k.slice(key.length + 1);
    // A prefix like data/train also matches data/train.csv: keep its name relative to data/.
    else rel = k.slice(key.lastIndexOf('/') + 1);
    const target = path.resolve(root, rel);
    // Security: keys are user data; a key with ../ must not write outside the input directory.
    if (!target.startsWith(root + path.sep)) continue;
    const body = await objects.get(bucket, k);
    if (body === undefined) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, body);
    count += 1;
  }
  return count;
}

/** Like downloadPrefix, failing the step the way SageMaker does when nothing is there. */
export async function downloadRequired(objects: ObjectStorePort, uri: string, dir: string): Promise<void> {
  const count = await downloadPrefix(objects, uri, dir);
  if (count === 0) throw new StepFailure(`ClientError: No S3 objects found under S3 URL "${uri}" given in input data source. Please ensure that the bucket exists in the selected region, that objects exist under that S3 prefix, and that the role has permissions.`);
}

/** Uploads every file under `dir` to `uri/<relative path>`; returns how many. */
export async function uploadDir(objects: ObjectStorePort, dir: string, uri: string): Promise<number> {
  const { bucket, key } = parseS3Uri(uri);
  const base = key.replace(/\/+$/, '');
  const files = await listFiles(dir);
  for (const rel of files) await objects.put(bucket, base ? `${base}/${rel}` : rel, await readFile(path.join(dir, rel)));
  return files.length;
}

/** Bytes of one object; a StepFailure naming the URI when it is missing. */
export async function getRequired(objects: ObjectStorePort, uri: string, what: string): Promise<Uint8Array> {
  const { bucket, key } = parseS3Uri(uri);
  const body = await objects.get(bucket, key);
  if (body === undefined) throw new StepFailure(`ClientError: ${what} ${uri} does not exist.`);
  return body;
}

/** Downloads a tar.gz and unpacks it into `dir`; a missing or unreadable archive is the user's (ClientError), not a fault. */
export async function unpackFromS3(objects: ObjectStorePort, uri: string, dir: string, what: string): Promise<void> {
  const body = await getRequired(objects, uri, what);
  try {
    await unpackTarGz(body, dir);
  } catch (error) {
    throw new StepFailure(`ClientError: ${what} ${uri} is not a readable tar.gz archive: ${error instanceof Error ? error.message : String(error)}`);
  }
}
