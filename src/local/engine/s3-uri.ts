/** `s3://bucket/key` parsing, the one place that knows the URI shape. */

export interface S3Location {
  bucket: string;
  key: string;
}

/** Splits `s3://bucket/key/...`; throws a readable error for anything else. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`'${uri}' is not an s3:// URI`);
  return { bucket: match[1] ?? '', key: match[2] ?? '' };
}

/** Joins an S3 URI and path parts with single slashes. */
export function joinS3(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ''), ...parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter((p) => p !== '')].join('/');
}
