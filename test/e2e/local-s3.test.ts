// The local S3 with the real S3 client: current SDK defaults (CRC32 checksums, aws-chunked
// streaming uploads), listing with prefix/delimiter/continuation, multipart, errors.
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBackend, type LocalBackend } from '../../src/local/index.js';
import { clients, tempDir } from '../unit/local/helpers.js';

describe('local backend: S3', () => {
  const state = tempDir();
  let backend: LocalBackend;
  let s3: S3Client;

  beforeAll(async () => {
    backend = await startLocalBackend({ stateDir: state.dir, runner: null });
    s3 = clients(backend.endpoint).s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'assets' }));
  });
  afterAll(async () => {
    await backend.close();
    state.remove();
  });

  it('creates and heads buckets, refusing duplicates and bad names', async () => {
    await s3.send(new HeadBucketCommand({ Bucket: 'assets' }));
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'assets' }))).rejects.toMatchObject({ name: 'BucketAlreadyOwnedByYou' });
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'missing-bucket' }))).rejects.toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' }))).rejects.toMatchObject({ name: 'InvalidBucketName' });
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain('assets');
  });

  it('round-trips bytes, content type and metadata, with ranges', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13, 10]);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'code/a b+c/ünïcode.bin', Body: bytes, ContentType: 'application/x-test', Metadata: { sha: 'abc' } }));
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'assets', Key: 'code/a b+c/ünïcode.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(bytes);
    expect(got.ContentType).toBe('application/x-test');
    expect(got.Metadata).toEqual({ sha: 'abc' });
    expect(got.ETag).toBe(put.ETag);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'assets', Key: 'code/a b+c/ünïcode.bin' }));
    expect(head.ContentLength).toBe(bytes.length);
    const range = await s3.send(new GetObjectCommand({ Bucket: 'assets', Key: 'code/a b+c/ünïcode.bin', Range: 'bytes=2-4' }));
    expect(Buffer.from(await range.Body!.transformToByteArray())).toEqual(Buffer.from([2, 255, 254]));
  });

  it('decodes aws-chunked streaming uploads (stream body, trailing CRC32 checksum)', async () => {
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(4096, i));
    const expected = Buffer.concat(chunks);
    // A stream body makes the SDK send aws-chunked framing with the checksum as a trailer.
    const put = new PutObjectCommand({ Bucket: 'assets', Key: 'stream.bin', Body: Readable.from(chunks) as never, ContentLength: expected.length, ChecksumAlgorithm: 'CRC32' });
    const seen: Record<string, string> = {};
    put.middlewareStack.add(
      (next) => async (args) => {
        Object.assign(seen, (args.request as { headers: Record<string, string> }).headers);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    await s3.send(put);
    expect(seen['content-encoding']).toContain('aws-chunked');
    expect(seen['x-amz-trailer']).toBe('x-amz-checksum-crc32');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'assets', Key: 'stream.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(expected)).toBe(true);
  });

  it('rejects an upload whose declared checksum does not match', async () => {
    await expect(s3.send(new PutObjectCommand({ Bucket: 'assets', Key: 'bad.bin', Body: 'hello', ChecksumCRC32: 'AAAAAA==' }))).rejects.toMatchObject({ name: 'BadDigest' });
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'assets', Key: 'bad.bin' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('lists with prefix, delimiter and continuation tokens', async () => {
    const keys = ['list/a.txt', 'list/b/1.txt', 'list/b/2.txt', 'list/c.txt', 'list/d/1.txt', 'list/e.txt', 'other.txt'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'assets', Key: key, Body: key }));
    const flat: string[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: 'assets', Prefix: 'list/', MaxKeys: 2, ContinuationToken: token }));
      flat.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token !== undefined);
    expect(flat).toEqual(keys.filter((k) => k.startsWith('list/')));

    const entries: string[] = [];
    token = undefined;
    do {
      const page: ListObjectsV2CommandOutput = await s3.send(
        new ListObjectsV2Command({ Bucket: 'assets', Prefix: 'list/', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }),
      );
      entries.push(...(page.Contents ?? []).map((o) => o.Key ?? ''), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''));
      token = page.NextContinuationToken;
    } while (token !== undefined);
    expect(entries.sort()).toEqual(['list/a.txt', 'list/b/', 'list/c.txt', 'list/d/', 'list/e.txt']);
    const empty = await s3.send(new ListObjectsV2Command({ Bucket: 'assets', Prefix: 'nothing/' }));
    expect(empty.KeyCount).toBe(0);
    expect(empty.Contents).toBeUndefined();
  });

  it('copies, deletes one and many, and reports missing keys and buckets', async () => {
    await s3.send(new CopyObjectCommand({ Bucket: 'assets', Key: 'copy.txt', CopySource: 'assets/list/a.txt' }));
    const copy = await s3.send(new GetObjectCommand({ Bucket: 'assets', Key: 'copy.txt' }));
    expect(await copy.Body!.transformToString()).toBe('list/a.txt');
    await s3.send(new DeleteObjectCommand({ Bucket: 'assets', Key: 'copy.txt' }));
    await expect(s3.send(new GetObjectCommand({ Bucket: 'assets', Key: 'copy.txt' }))).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    await s3.send(new DeleteObjectsCommand({ Bucket: 'assets', Delete: { Objects: [{ Key: 'list/a.txt' }, { Key: 'list/c.txt' }] } }));
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'assets', Prefix: 'list/', Delimiter: '/' }));
    expect(left.Contents?.map((o) => o.Key)).toEqual(['list/e.txt']);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('assembles multipart uploads', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'assets', Key: 'big.bin', ContentType: 'application/gzip' }));
    const part1 = Buffer.alloc(5 * 1024 * 1024, 'a');
    const part2 = Buffer.from('tail');
    const p1 = await s3.send(new UploadPartCommand({ Bucket: 'assets', Key: 'big.bin', UploadId, PartNumber: 1, Body: part1 }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: 'assets', Key: 'big.bin', UploadId, PartNumber: 2, Body: part2 }));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: 'assets', Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }),
    );
    expect(done.ETag).toMatch(/-2"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'assets', Key: 'big.bin' }));
    expect(head.ContentLength).toBe(part1.length + part2.length);
    expect(head.ContentType).toBe('application/gzip');
    const aborted = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'assets', Key: 'gone.bin' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'assets', Key: 'gone.bin', UploadId: aborted.UploadId }));
    await expect(s3.send(new UploadPartCommand({ Bucket: 'assets', Key: 'gone.bin', UploadId: aborted.UploadId, PartNumber: 1, Body: 'x' }))).rejects.toMatchObject({
      name: 'NoSuchUpload',
    });
  });
});
