/**
 * A minimal deterministic tar (ustar) writer: regular files only, given in the caller's order,
 * with mtime 0, uid/gid 0, empty owner names and fixed modes, so the same tree gives the same
 * bytes on every machine.
 */

export interface TarEntry {
  /** POSIX path inside the archive (no leading `/`). */
  path: string;
  body: Uint8Array;
}

const BLOCK = 512;
const encoder = new TextEncoder();

/** Builds a tar archive of `entries` (order kept) with the two closing zero blocks. */
export function tar(entries: readonly TarEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (const entry of entries) {
    const header = header512(entry.path, entry.body.length);
    const padding = (BLOCK - (entry.body.length % BLOCK)) % BLOCK;
    chunks.push(header, entry.body, new Uint8Array(padding));
    size += BLOCK + entry.body.length + padding;
  }
  chunks.push(new Uint8Array(BLOCK * 2));
  size += BLOCK * 2;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function header512(path: string, size: number): Uint8Array {
  const { name, prefix } = splitName(path);
  const h = new Uint8Array(BLOCK);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, 0o644); // mode: fixed, so umask and checkout modes do not change bytes
  writeOctal(h, 108, 8, 0); // uid
  writeOctal(h, 116, 8, 0); // gid
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, 0); // mtime 0: checkout time must not change the archive
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  h[156] = 0x30; // typeflag '0': regular file
  writeString(h, 257, 6, 'ustar');
  writeString(h, 263, 2, '00');
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  writeString(h, 148, 7, sum.toString(8).padStart(6, '0'));
  h[155] = 0x20;
  return h;
}

/** Splits a path into ustar name (≤100 bytes) and prefix (≤155 bytes) at a `/`. */
function splitName(path: string): { name: string; prefix: string } {
  if (encoder.encode(path).length <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) return { name, prefix };
  }
  throw new TarPathTooLongError(path);
}

/** A path too long for a ustar header (name ≤ 100 bytes after a ≤ 155-byte directory prefix). */
export class TarPathTooLongError extends Error {
  constructor(readonly path: string) {
    super(`path too long for a tar archive: ${path}`);
    this.name = 'TarPathTooLongError';
  }
}

function writeString(h: Uint8Array, offset: number, length: number, text: string): void {
  h.set(encoder.encode(text).subarray(0, length), offset);
}

function writeOctal(h: Uint8Array, offset: number, length: number, value: number): void {
  writeString(h, offset, length - 1, value.toString(8).padStart(length - 1, '0'));
}
