/**
 * Deterministic gzip: stored (uncompressed) deflate blocks, mtime 0, OS byte 255. zlib's
 * compressed output differs between zlib builds (Node bundles Chromium's SIMD zlib), and asset
 * keys hash the uploaded bytes, so we trade size for bytes that are identical on every machine.
 */
import { crc32 } from 'node:zlib';

const MAX_STORED = 0xffff;

/** Wraps `data` in a gzip member whose bytes depend on `data` only. */
export function gzipStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED));
  const out = new Uint8Array(10 + blocks * 5 + data.length + 8);
  // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown)
  out.set([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff], 0);
  let offset = 10;
  for (let i = 0; i < blocks; i++) {
    const chunk = data.subarray(i * MAX_STORED, (i + 1) * MAX_STORED);
    const last = i === blocks - 1;
    out[offset] = last ? 1 : 0; // BFINAL + BTYPE=00 (stored)
    writeUint16(out, offset + 1, chunk.length);
    writeUint16(out, offset + 3, ~chunk.length & 0xffff);
    out.set(chunk, offset + 5);
    offset += 5 + chunk.length;
  }
  writeUint32(out, offset, crc32(data));
  writeUint32(out, offset + 4, data.length >>> 0);
  return out;
}

function writeUint16(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
}

function writeUint32(out: Uint8Array, offset: number, value: number): void {
  writeUint16(out, offset, value & 0xffff);
  writeUint16(out, offset + 2, (value >>> 16) & 0xffff);
}
