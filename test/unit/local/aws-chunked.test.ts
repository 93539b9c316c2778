import { describe, expect, it } from 'vitest';
import { decodeAwsChunked, isAwsChunked } from '../../../src/local/aws-chunked.js';

describe('aws-chunked decoding', () => {
  it('joins signed and unsigned chunks and reads the trailer', () => {
    const raw = Buffer.from(
      '5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:def\r\n\r\n',
      'latin1',
    );
    const decoded = decodeAwsChunked(raw);
    expect(decoded.body.toString()).toBe('hello world');
    expect(decoded.trailers).toEqual({ 'x-amz-checksum-crc32': 'DUoRhQ==', 'x-amz-trailer-signature': 'def' });
  });

  it('keeps binary chunk bytes, CRLFs inside data included', () => {
    const data = Buffer.from([13, 10, 0, 255, 13, 10]);
    const raw = Buffer.concat([Buffer.from('6\r\n'), data, Buffer.from('\r\n0\r\n\r\n')]);
    expect(decodeAwsChunked(raw).body.equals(data)).toBe(true);
  });

  it('rejects truncated and malformed framing', () => {
    expect(() => decodeAwsChunked(Buffer.from('a\r\nshort'))).toThrow(/truncated/);
    expect(() => decodeAwsChunked(Buffer.from('zz\r\n'))).toThrow(/bad chunk header/);
    expect(() => decodeAwsChunked(Buffer.from('3\r\nabcX\r\n0\r\n\r\n'))).toThrow(/not terminated/);
  });

  it('recognises the encoding from either header', () => {
    expect(isAwsChunked({ 'content-encoding': 'gzip, aws-chunked' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' })).toBe(false);
  });
});
