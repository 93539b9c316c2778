/**
 * Decoding of S3's `aws-chunked` content encoding. Current SDKs send streaming uploads as
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n … 0\r\n<trailer headers>\r\n\r\n`, with the
 * checksum (x-amz-checksum-crc32 and friends) in the trailer; storing that body verbatim would
 * corrupt every object.
 */

export interface DecodedChunks {
  body: Buffer;
  /** Trailer headers, names lowercased. */
  trailers: Record<string, string>;
}

/** Whether a request's headers announce an aws-chunked body. */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

/** Decodes an aws-chunked body; throws on a malformed framing. */
export function decodeAwsChunked(raw: Buffer): DecodedChunks {
  const parts: Buffer[] = [];
  let offset = 0;
  const lineEnd = (from: number): number => {
    const at = raw.indexOf('\r\n', from, 'latin1');
    if (at < 0) throw new Error('aws-chunked: missing CRLF');
    return at;
  };
  for (;;) {
    const end = lineEnd(offset);
    const header = raw.subarray(offset, end).toString('latin1');
    const size = Number.parseInt(header.split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size < 0) throw new Error(`aws-chunked: bad chunk header ${JSON.stringify(header)}`);
    offset = end + 2;
    if (size === 0) break;
    if (offset + size > raw.length) throw new Error('aws-chunked: truncated chunk');
    parts.push(raw.subarray(offset, offset + size));
    offset += size;
    // Each data chunk is followed by CRLF.
    if (raw.toString('latin1', offset, offset + 2) !== '\r\n') throw new Error('aws-chunked: chunk not terminated');
    offset += 2;
  }
  const trailers: Record<string, string> = {};
  while (offset < raw.length) {
    const end = raw.indexOf('\r\n', offset, 'latin1');
    const line = raw.subarray(offset, end < 0 ? raw.length : end).toString('latin1');
    offset = end < 0 ? raw.length : end + 2;
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}
