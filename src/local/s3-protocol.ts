/**
 * The S3 REST subset the kit (and `aws s3 cp`) uses: buckets, objects, ListObjectsV2 and
 * multipart uploads, path-style and `<bucket>.localhost` virtual-host style.
 */
import { createHash, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked.js';
import { header, type LocalRequest, type LocalResponse } from './http-types.js';
import { isValidBucketName, type ObjectMeta, type ObjectStore } from './object-store.js';
import type { RecordStore } from './record-store.js';
import { xmlEscape, xmlValues } from './xml.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly resource?: string,
  ) {
    super(message);
  }
}

/** An S3 error response in S3's XML form (HEAD responses carry no body, as S3's do not). */
export function s3ErrorResponse(code: string, status: number, message: string, method: string, resource?: string): LocalResponse {
  const requestId = randomUUID();
  const body =
    method === 'HEAD'
      ? ''
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>` +
        (resource === undefined ? '' : `<Resource>${xmlEscape(resource)}</Resource>`) +
        `<RequestId>${requestId}</RequestId></Error>`;
  return { status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body };
}

function xml(body: string, status = 200, headers: Record<string, string> = {}): LocalResponse {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** Splits a request into bucket and key, honouring `<bucket>.localhost` virtual hosts. */
export function s3Target(request: LocalRequest): { bucket: string | undefined; key: string | undefined } {
  const host = (header(request, 'host') ?? '').replace(/:\d+$/, '');
  const path = request.url.pathname;
  const virtual = /^(.+)\.localhost$/.exec(host);
  if (virtual?.[1] !== undefined) {
    const key = decodeURIComponent(path.slice(1));
    return { bucket: virtual[1], key: key === '' ? undefined : key };
  }
  const slash = path.indexOf('/', 1);
  if (path === '/' || path === '') return { bucket: undefined, key: undefined };
  if (slash < 0) return { bucket: decodeURIComponent(path.slice(1)), key: undefined };
  const key = decodeURIComponent(path.slice(slash + 1));
  return { bucket: decodeURIComponent(path.slice(1, slash)), key: key === '' ? undefined : key };
}

/** S3's `encoding-type=url`: keys percent-encoded, slashes kept (botocore decodes them back). */
function encodeKey(key: string, urlEncoding: boolean): string {
  return xmlEscape(urlEncoding ? encodeURIComponent(key).replace(/%2F/g, '/') : key);
}

function userMetadata(request: LocalRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) out[name.slice(11)] = String(value);
  }
  return out;
}

/** The payload bytes: aws-chunked framing removed and any sent CRC32/SHA checksum verified. */
function payload(request: LocalRequest): Buffer {
  let body = request.body;
  const checksums: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith('x-amz-checksum-') && typeof value === 'string') checksums[name] = value;
  }
  if (isAwsChunked(request.headers)) {
    let decoded;
    try {
      decoded = decodeAwsChunked(body);
    } catch (error) {
      throw new S3Error('IncompleteBody', 400, (error as Error).message);
    }
    body = decoded.body;
    Object.assign(checksums, decoded.trailers);
  }
  const declared = header(request, 'x-amz-decoded-content-length');
  if (declared !== undefined && Number(declared) !== body.length) {
    throw new S3Error('IncompleteBody', 400, `Declared ${declared} decoded bytes, received ${body.length}`);
  }
  // Verifying what the client computed catches framing bugs here rather than as corrupt models later.
  const expected: Record<string, () => string> = {
    'x-amz-checksum-crc32': () => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32(body) >>> 0);
      return b.toString('base64');
    },
    'x-amz-checksum-sha1': () => createHash('sha1').update(body).digest('base64'),
    'x-amz-checksum-sha256': () => createHash('sha256').update(body).digest('base64'),
  };
  for (const [name, value] of Object.entries(checksums)) {
    const compute = expected[name];
    if (compute !== undefined && compute() !== value) {
      throw new S3Error('BadDigest', 400, `The ${name.slice(15).toUpperCase()} you specified did not match the calculated checksum.`);
    }
  }
  const md5 = header(request, 'content-md5');
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw new S3Error('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
  }
  return body;
}

function objectHeaders(meta: ObjectMeta): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': meta.contentType,
    etag: meta.etag,
    'last-modified': httpDate(meta.lastModified),
    'accept-ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(meta.userMetadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}

interface MultipartUpload {
  uploadId: string;
  bucket: string;
  key: string;
  contentType: string;
  userMetadata: Record<string, string>;
  initiated: number;
}

export interface S3Deps {
  objects: ObjectStore;
  /** Holds in-progress multipart uploads so they survive a restart like everything else. */
  records: RecordStore;
  now(): number;
}

/** Handles one S3 REST request. */
export function handleS3(request: LocalRequest, deps: S3Deps): LocalResponse {
  try {
    return route(request, deps);
  } catch (error) {
    if (error instanceof S3Error) return s3ErrorResponse(error.code, error.status, error.message, request.method, error.resource);
    throw error;
  }
}

function requireBucket(deps: S3Deps, bucket: string): void {
  if (!deps.objects.bucketExists(bucket)) throw new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', bucket);
}

function route(request: LocalRequest, deps: S3Deps): LocalResponse {
  const { bucket, key } = s3Target(request);
  const q = request.url.searchParams;
  const method = request.method;
  if (bucket === undefined) {
    if (method === 'GET') return listBuckets(deps);
    throw new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
  }
  if (key === undefined) {
    switch (method) {
      case 'PUT':
        if (!isValidBucketName(bucket)) throw new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', bucket);
        if (!deps.objects.createBucket(bucket)) {
          throw new S3Error('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', bucket);
        }
        return { status: 200, headers: { location: `/${bucket}` }, body: '' };
      case 'HEAD':
        requireBucket(deps, bucket);
        return { status: 200, headers: { 'x-amz-bucket-region': request.region }, body: '' };
      case 'DELETE':
        requireBucket(deps, bucket);
        if (deps.objects.listObjects(bucket, '').length > 0) {
          throw new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', bucket);
        }
        deps.objects.deleteBucket(bucket);
        return { status: 204, headers: {}, body: '' };
      case 'GET':
        requireBucket(deps, bucket);
        if (q.has('location')) {
          return xml(`<LocationConstraint xmlns="${XMLNS}">${request.region === 'us-east-1' ? '' : request.region}</LocationConstraint>`);
        }
        return listObjectsV2(request, deps, bucket);
      case 'POST':
        requireBucket(deps, bucket);
        if (q.has('delete')) return deleteObjects(request, deps, bucket);
        break;
      default:
        break;
    }
    throw new S3Error('NotImplemented', 501, `${method} on a bucket with ${request.url.search} is not implemented by the local backend`);
  }
  requireBucket(deps, bucket);
  if (method === 'POST' && q.has('uploads')) return createMultipart(request, deps, bucket, key);
  const uploadId = q.get('uploadId');
  if (uploadId !== null) {
    if (method === 'PUT') return uploadPart(request, deps, uploadId, q.get('partNumber'));
    if (method === 'POST') return completeMultipart(request, deps, bucket, key, uploadId);
    if (method === 'DELETE') {
      deps.records.delete('s3-uploads', uploadId);
      return { status: 204, headers: {}, body: '' };
    }
  }
  switch (method) {
    case 'PUT': {
      const copySource = header(request, 'x-amz-copy-source');
      if (copySource !== undefined) return copyObject(deps, bucket, key, copySource);
      const meta = deps.objects.putObject(bucket, key, payload(request), {
        contentType: header(request, 'content-type') ?? 'application/octet-stream',
        userMetadata: userMetadata(request),
      });
      return { status: 200, headers: { etag: meta.etag }, body: '' };
    }
    case 'HEAD':
    case 'GET': {
      const found = deps.objects.getObject(bucket, key);
      if (found === undefined) throw new S3Error('NoSuchKey', 404, 'The specified key does not exist.', key);
      return objectResponse(request, found.meta, found.body);
    }
    case 'DELETE':
      deps.objects.deleteObject(bucket, key);
      return { status: 204, headers: {}, body: '' };
    default:
      throw new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
  }
}

function objectResponse(request: LocalRequest, meta: ObjectMeta, body: Buffer): LocalResponse {
  const headers = objectHeaders(meta);
  const range = header(request, 'range');
  const match = range === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(range);
  let status = 200;
  let slice = body;
  if (match !== null) {
    const [, a = '', b = ''] = match;
    let start: number;
    let end: number;
    if (a === '') {
      start = Math.max(0, body.length - Number(b));
      end = body.length - 1;
    } else {
      start = Number(a);
      end = b === '' ? body.length - 1 : Math.min(Number(b), body.length - 1);
    }
    if (start >= body.length || start > end) throw new S3Error('InvalidRange', 416, 'The requested range is not satisfiable');
    slice = body.subarray(start, end + 1);
    status = 206;
    headers['content-range'] = `bytes ${start}-${end}/${body.length}`;
  }
  headers['content-length'] = String(slice.length);
  return { status, headers, body: request.method === 'HEAD' ? '' : slice };
}

function listBuckets(deps: S3Deps): LocalResponse {
  const items = deps.objects
    .listBuckets()
    .map((b) => `<Bucket><Name>${xmlEscape(b.name)}</Name><CreationDate>${isoDate(b.created)}</CreationDate></Bucket>`)
    .join('');
  return xml(
    `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>000000000000</ID><DisplayName>local</DisplayName></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`,
  );
}

function listObjectsV2(request: LocalRequest, deps: S3Deps, bucket: string): LocalResponse {
  const q = request.url.searchParams;
  const v2 = q.get('list-type') === '2';
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = Math.min(Math.max(Number(q.get('max-keys') ?? '1000'), 0), 1000);
  const urlEncoding = q.get('encoding-type') === 'url';
  const token = q.get('continuation-token');
  // V2 continues after the token (or start-after); V1 after the marker. Both are plain keys here.
  const after = token !== null ? Buffer.from(token, 'base64url').toString('utf8') : (q.get(v2 ? 'start-after' : 'marker') ?? '');
  const contents: ObjectMeta[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last = '';
  for (const meta of deps.objects.listObjects(bucket, prefix)) {
    if (after !== '' && (meta.key <= after || (delimiter !== '' && after.endsWith(delimiter) && meta.key.startsWith(after)))) continue;
    let common: string | undefined;
    if (delimiter !== '') {
      const at = meta.key.indexOf(delimiter, prefix.length);
      if (at >= 0) common = meta.key.slice(0, at + delimiter.length);
    }
    if (common !== undefined && prefixes[prefixes.length - 1] === common) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      last = common;
    } else {
      contents.push(meta);
      last = meta.key;
    }
  }
  const items = contents
    .map(
      (m) =>
        `<Contents><Key>${encodeKey(m.key, urlEncoding)}</Key><LastModified>${isoDate(m.lastModified)}</LastModified>` +
        `<ETag>${xmlEscape(m.etag)}</ETag><Size>${m.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const common = prefixes.map((p) => `<CommonPrefixes><Prefix>${encodeKey(p, urlEncoding)}</Prefix></CommonPrefixes>`).join('');
  const next = truncated ? Buffer.from(last, 'utf8').toString('base64url') : undefined;
  const paging = v2
    ? `<KeyCount>${contents.length + prefixes.length}</KeyCount>` +
      (token !== null ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : '') +
      (next !== undefined ? `<NextContinuationToken>${next}</NextContinuationToken>` : '') +
      (q.has('start-after') ? `<StartAfter>${encodeKey(q.get('start-after') ?? '', urlEncoding)}</StartAfter>` : '')
    : `<Marker>${encodeKey(q.get('marker') ?? '', urlEncoding)}</Marker>` +
      (truncated && delimiter !== '' ? `<NextMarker>${encodeKey(last, urlEncoding)}</NextMarker>` : '');
  return xml(
    `<ListBucketResult xmlns="${XMLNS}"><Name>${xmlEscape(bucket)}</Name><Prefix>${encodeKey(prefix, urlEncoding)}</Prefix>` +
      (delimiter !== '' ? `<Delimiter>${encodeKey(delimiter, urlEncoding)}</Delimiter>` : '') +
      `<MaxKeys>${maxKeys}</MaxKeys>` +
      (urlEncoding ? '<EncodingType>url</EncodingType>' : '') +
      `<IsTruncated>${truncated}</IsTruncated>${paging}${items}${common}</ListBucketResult>`,
  );
}

function deleteObjects(request: LocalRequest, deps: S3Deps, bucket: string): LocalResponse {
  const body = request.body.toString('utf8');
  const quiet = xmlValues(body, 'Quiet')[0] === 'true';
  const keys = xmlValues(body, 'Key');
  for (const key of keys) deps.objects.deleteObject(bucket, key);
  const deleted = quiet ? '' : keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join('');
  return xml(`<DeleteResult xmlns="${XMLNS}">${deleted}</DeleteResult>`);
}

function copyObject(deps: S3Deps, bucket: string, key: string, copySource: string): LocalResponse {
  const source = decodeURIComponent(copySource.split('?')[0] ?? '').replace(/^\//, '');
  const slash = source.indexOf('/');
  const found = slash < 0 ? undefined : deps.objects.getObject(source.slice(0, slash), source.slice(slash + 1));
  if (found === undefined) throw new S3Error('NoSuchKey', 404, 'The specified key does not exist.', source);
  const meta = deps.objects.putObject(bucket, key, found.body, { contentType: found.meta.contentType, userMetadata: found.meta.userMetadata });
  return xml(`<CopyObjectResult><LastModified>${isoDate(meta.lastModified)}</LastModified><ETag>${xmlEscape(meta.etag)}</ETag></CopyObjectResult>`);
}

function createMultipart(request: LocalRequest, deps: S3Deps, bucket: string, key: string): LocalResponse {
  const upload: MultipartUpload = {
    uploadId: randomUUID().replace(/-/g, ''),
    bucket,
    key,
    contentType: header(request, 'content-type') ?? 'application/octet-stream',
    userMetadata: userMetadata(request),
    initiated: deps.now(),
  };
  deps.records.put('s3-uploads', upload.uploadId, upload);
  return xml(
    `<InitiateMultipartUploadResult xmlns="${XMLNS}"><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${upload.uploadId}</UploadId></InitiateMultipartUploadResult>`,
  );
}

function uploadPart(request: LocalRequest, deps: S3Deps, uploadId: string, partNumber: string | null): LocalResponse {
  const upload = deps.records.get<MultipartUpload>('s3-uploads', uploadId);
  if (upload === undefined) throw new S3Error('NoSuchUpload', 404, 'The specified upload does not exist.', uploadId);
  const n = Number(partNumber);
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw new S3Error('InvalidArgument', 400, 'Part number must be an integer between 1 and 10000, inclusive');
  const body = payload(request);
  // Parts are staged as objects of a hidden bucket-less area of the record store: base64 keeps
  // them in the same crash-safe files as every other record.
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  deps.records.put('s3-parts', `${uploadId}/${n}`, { etag, data: body.toString('base64') });
  return { status: 200, headers: { etag }, body: '' };
}

function completeMultipart(request: LocalRequest, deps: S3Deps, bucket: string, key: string, uploadId: string): LocalResponse {
  const upload = deps.records.get<MultipartUpload>('s3-uploads', uploadId);
  if (upload === undefined) throw new S3Error('NoSuchUpload', 404, 'The specified upload does not exist.', uploadId);
  const xmlBody = request.body.toString('utf8');
  const numbers = xmlValues(xmlBody, 'PartNumber').map(Number);
  const etags = xmlValues(xmlBody, 'ETag');
  const buffers: Buffer[] = [];
  const md5s: Buffer[] = [];
  numbers.forEach((n, i) => {
    const part = deps.records.get<{ etag: string; data: string }>('s3-parts', `${uploadId}/${n}`);
    const wanted = etags[i]?.replace(/"/g, '');
    if (part === undefined || (wanted !== undefined && part.etag.replace(/"/g, '') !== wanted)) {
      throw new S3Error('InvalidPart', 400, 'One or more of the specified parts could not be found.');
    }
    buffers.push(Buffer.from(part.data, 'base64'));
    md5s.push(Buffer.from(part.etag.replace(/"/g, ''), 'hex'));
  });
  const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${numbers.length}"`;
  deps.objects.putObject(bucket, key, Buffer.concat(buffers), { contentType: upload.contentType, userMetadata: upload.userMetadata, etag });
  for (const n of numbers) deps.records.delete('s3-parts', `${uploadId}/${n}`);
  deps.records.delete('s3-uploads', uploadId);
  return xml(
    `<CompleteMultipartUploadResult xmlns="${XMLNS}"><Location>/${xmlEscape(bucket)}/${xmlEscape(key)}</Location><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
  );
}
