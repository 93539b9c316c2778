/**
 * Staging: upload the compiler's asset plan (and an over-limit definition) to S3. Keys are
 * content-hashed, so an object that already exists under its key already has these bytes and is
 * skipped — re-runs upload nothing and step caching keeps working.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { isNotFound } from '../aws/errors.js';
import type { Asset } from '../compiler/types.js';

export type S3Port = Pick<S3Client, 'send'>;

export interface StageResult {
  uploaded: string[];
  skipped: string[];
  definition?: { bucket: string; key: string };
}

async function exists(s3: S3Port, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (isNotFound(error, 'HeadObject') || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/** Uploads what is missing; returns what it did. */
export async function stageAssets(
  s3: S3Port,
  assets: readonly Asset[],
  definition?: { json: string; bucket: string; keyPrefix: string },
): Promise<StageResult> {
  const result: StageResult = { uploaded: [], skipped: [] };
  for (const asset of assets) {
    if (await exists(s3, asset.bucket, asset.key)) {
      result.skipped.push(asset.s3Uri);
      continue;
    }
    await s3.send(
      new PutObjectCommand({
        Bucket: asset.bucket,
        Key: asset.key,
        Body: asset.body,
        ContentType: asset.kind === 'directory' ? 'application/gzip' : 'application/octet-stream',
      }),
    );
    result.uploaded.push(asset.s3Uri);
  }
  if (definition) {
    // Content-addressed too: the same definition is uploaded once, and the key says which one it is.
    const hash = createHash('sha256').update(definition.json).digest('hex').slice(0, 16);
    const key = `${definition.keyPrefix.replace(/\/+$/, '')}/definition-${hash}.json`;
    if (!(await exists(s3, definition.bucket, key))) {
      await s3.send(new PutObjectCommand({ Bucket: definition.bucket, Key: key, Body: definition.json, ContentType: 'application/json' }));
      result.uploaded.push(`s3://${definition.bucket}/${key}`);
    }
    result.definition = { bucket: definition.bucket, key };
  }
  return result;
}
