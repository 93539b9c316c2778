import { describe, expect, it } from 'vitest';
import type { LocalRequest } from '../../../src/local/http-types.js';
import { s3Target } from '../../../src/local/s3-protocol.js';

function request(host: string, path: string): LocalRequest {
  return { method: 'GET', url: new URL(path, 'http://local'), headers: { host }, body: Buffer.alloc(0), region: 'us-east-1' };
}

describe('S3 addressing', () => {
  it('reads path-style bucket and percent-encoded key', () => {
    expect(s3Target(request('127.0.0.1:4566', '/assets/code/a%20b%2Bc/%C3%BC.py'))).toEqual({ bucket: 'assets', key: 'code/a b+c/ü.py' });
    expect(s3Target(request('127.0.0.1:4566', '/assets'))).toEqual({ bucket: 'assets', key: undefined });
    expect(s3Target(request('127.0.0.1:4566', '/assets/'))).toEqual({ bucket: 'assets', key: undefined });
    expect(s3Target(request('127.0.0.1:4566', '/'))).toEqual({ bucket: undefined, key: undefined });
  });

  it('reads virtual-host style <bucket>.localhost', () => {
    expect(s3Target(request('assets.localhost:4566', '/code/train.py'))).toEqual({ bucket: 'assets', key: 'code/train.py' });
    expect(s3Target(request('my.dotted.bucket.localhost:4566', '/'))).toEqual({ bucket: 'my.dotted.bucket', key: undefined });
  });
});
